# lo up adds 127.0.0.1/8 also when lo already has another address (found by fuzz-diff,
# seed 14): devinet.c inetdev_event(NETDEV_UP) inserts it on every up of a loopback
# unless it is there; inet_insert_ifa puts the host-scope address before global ones.
ip netns add n0
ip -n n0 addr add 10.200.0.1/32 dev lo
ip -n n0 -4 addr
ip -n n0 link set lo up
ip -n n0 -4 addr
ip -n n0 route show table local
ip -n n0 link set lo down
ip -n n0 link set lo up
ip -n n0 -4 addr
ip netns exec n0 ping -c 1 -W 0.3 127.0.0.1
ip netns exec n0 ping -c 1 -W 0.3 10.200.0.1
