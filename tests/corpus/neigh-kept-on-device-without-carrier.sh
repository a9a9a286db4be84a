# Neighbour entries are flushed when their device goes down or loses carrier, not on
# every later change (found by fuzz-diff, seed 702999988): an ARP attempt on a tap
# without carrier leaves an entry that stays through route and address changes.
ip netns add n0
ip -n n0 link set lo up
ip -n n0 tuntap add dev tap0 mode tap
ip -n n0 addr add 10.2.0.7/24 dev tap0
ip -n n0 link set tap0 up
ip netns exec n0 ping -c 1 -W 0.3 10.2.0.1
ip -n n0 neigh
ip -n n0 route add 10.60.0.0/16 via 10.2.0.1
ip -n n0 addr add 10.3.0.7/24 dev tap0
ip -n n0 neigh
ip -n n0 link set tap0 down
ip -n n0 neigh
