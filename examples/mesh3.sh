#!/bin/bash
# Three namespaces fully meshed with veth pairs: the "three netns" drawing of the seed
# article, where the number of links grows as n(n-1)/2. Each pair gets its own /30.
#
#   ns1 v12 10.0.12.1/30 --- 10.0.12.2/30 v21 ns2
#   ns1 v13 10.0.13.1/30 --- 10.0.13.2/30 v31 ns3
#   ns2 v23 10.0.23.1/30 --- 10.0.23.2/30 v32 ns3
#
# Run by hand as root:   bash examples/mesh3.sh
# Clean up afterwards:   ip netns del ns1; ip netns del ns2; ip netns del ns3
set -e

ip netns add ns1
ip netns add ns2
ip netns add ns3
ip -n ns1 link set lo up
ip -n ns2 link set lo up
ip -n ns3 link set lo up

# Each pair is created with its ends already in their namespaces.
ip link add v12 netns ns1 type veth peer name v21 netns ns2
ip link add v13 netns ns1 type veth peer name v31 netns ns3
ip link add v23 netns ns2 type veth peer name v32 netns ns3

ip -n ns1 addr add 10.0.12.1/30 dev v12
ip -n ns2 addr add 10.0.12.2/30 dev v21
ip -n ns1 addr add 10.0.13.1/30 dev v13
ip -n ns3 addr add 10.0.13.2/30 dev v31
ip -n ns2 addr add 10.0.23.1/30 dev v23
ip -n ns3 addr add 10.0.23.2/30 dev v32

ip -n ns1 link set v12 up
ip -n ns2 link set v21 up
ip -n ns1 link set v13 up
ip -n ns3 link set v31 up
ip -n ns2 link set v23 up
ip -n ns3 link set v32 up

# One ping across each link: only directly connected peers are reachable.
ip netns exec ns1 ping -c 1 -W 1 10.0.12.2
ip netns exec ns1 ping -c 1 -W 1 10.0.13.2
ip netns exec ns2 ping -c 1 -W 1 10.0.23.2
ip -n ns1 -br addr show
