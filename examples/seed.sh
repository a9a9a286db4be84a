#!/bin/bash
# The seed article, "Linux veth pair 详解" (2020-11-09): two isolated namespaces, each
# holding a tap device from the article's previous section, joined by a veth pair that
# is created in the initial namespace and then moved -- exactly as the article does.
#
# Run by hand as root:   bash examples/seed.sh
# Clean up afterwards:   ip netns del ns0; ip netns del ns1
set -e

# --- The previous section: ns0 and ns1, each with a tap that is connected to nothing.
ip netns add ns0
ip netns add ns1
ip tuntap add dev tap0 mode tap
ip tuntap add dev tap1 mode tap
ip link set tap0 netns ns0
ip link set tap1 netns ns1
ip netns exec ns0 ip addr add 10.0.0.1/24 dev tap0
ip netns exec ns1 ip addr add 10.0.0.2/24 dev tap1
ip netns exec ns0 ip link set tap0 up
ip netns exec ns1 ip link set tap1 up

# --- This section: create a veth pair, move each end into a namespace, start them.
# "创建一对veth": create a veth pair
ip link add veth0 type veth peer name veth1
# "将veth移动到netns中": move the veth ends into the namespaces
ip link set veth0 netns ns0
ip link set veth1 netns ns1
# "启动": start them
ip netns exec ns0 ip link set veth0 up
ip netns exec ns1 ip link set veth1 up

# The article's first test fails:
#   From 10.0.0.1 icmp_seq=1 Destination Host Unreachable
#   5 packets transmitted, 0 received, +3 errors, 100% packet loss, time 77ms
# (With lo still down in ns0, a current kernel loses these silently: no "Destination Host
# Unreachable" lines, see docs KERNEL-NOTES "ARP".)
ip netns exec ns0 ping -c 3 10.0.0.2 || true

# "What happened? The routes are wrong": 10.0.0.0/24 still leaves through the tap.
#   Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
#   10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 tap0
ip netns exec ns0 route -n
ip netns exec ns1 route -n

# The fix, "修改路由出口为veth": send 10.0.0.0/24 out of the veth end instead.
ip netns exec ns0 ip route change 10.0.0.0/24 via 0.0.0.0 dev veth0
ip netns exec ns1 ip route change 10.0.0.0/24 via 0.0.0.0 dev veth1

# Now the article shows the same row with Iface veth0 (veth1 in ns1).
ip netns exec ns0 route -n
ip netns exec ns1 route -n

# And both directions answer:
#   64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.031 ms
#   4 packets transmitted, 4 received, 0% packet loss, time 103ms
ip netns exec ns0 ping -c 3 10.0.0.2
ip netns exec ns1 ping -c 3 10.0.0.1
