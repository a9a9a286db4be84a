# Deleting a device's last IPv4 address flushes its neighbour entries (found by
# fuzz-diff, seed 69): fib_inetaddr_event(NETDEV_DOWN) finds no address left and calls
# fib_disable_ip, which runs arp_ifdown. A remaining address keeps them.
ip netns add n0
ip netns add n1
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n0 addr add 10.1.0.1/24 dev v0a
ip -n n0 addr add 10.3.0.1/24 dev v0a
ip -n n1 addr add 10.1.0.2/24 dev v0b
ip -n n0 link set v0a up
ip -n n1 link set v0b up
ip netns exec n0 ping -c 1 -W 0.3 10.1.0.2
ip -n n0 addr del 10.3.0.1/24 dev v0a
ip -n n0 neigh
ip -n n1 neigh
ip -n n0 addr del 10.1.0.1/24 dev v0a
ip -n n0 neigh
ip -n n1 neigh
