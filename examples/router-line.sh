#!/bin/bash
# A line of three namespaces, A - R - B, where R routes between two subnets:
#
#   hosta a0 10.0.1.2/24 --- 10.0.1.1/24 ra  router  rb 10.0.2.1/24 --- 10.0.2.2/24 b0 hostb
#
# A and B reach each other only through R, which must forward (ip_forward=1); the
# replies come back with ttl=63 after one hop.
#
# Run by hand as root:   bash examples/router-line.sh
# Clean up afterwards:   ip netns del hosta; ip netns del router; ip netns del hostb
set -e

ip netns add hosta
ip netns add router
ip netns add hostb
ip -n hosta link set lo up
ip -n router link set lo up
ip -n hostb link set lo up

ip link add a0 netns hosta type veth peer name ra netns router
ip link add rb netns router type veth peer name b0 netns hostb

ip -n hosta addr add 10.0.1.2/24 dev a0
ip -n router addr add 10.0.1.1/24 dev ra
ip -n router addr add 10.0.2.1/24 dev rb
ip -n hostb addr add 10.0.2.2/24 dev b0
ip -n hosta link set a0 up
ip -n router link set ra up
ip -n router link set rb up
ip -n hostb link set b0 up

# R forwards; A and B send everything else to R.
ip netns exec router sysctl -w net.ipv4.ip_forward=1
ip -n hosta route add default via 10.0.1.1
ip -n hostb route add default via 10.0.2.1

ip netns exec hosta route -n
ip netns exec hosta ping -c 3 10.0.2.2
