# A device whose MAC changes loses its neighbour entries (found by fuzz-diff, seed 9090):
# arp_netdev_event(NETDEV_CHANGEADDR) calls neigh_changeaddr. A bridge changes its MAC
# when its last port leaves (to 00:00:00:00:00:00) and when a port comes again (the
# smallest port's MAC), so its entries go then too; a veth's MAC set by hand likewise.
ip netns add n0
ip netns add n1
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n1 link add br0 type bridge
ip -n n1 link set v0b master br0
ip -n n1 link set v0b up
ip -n n1 link set br0 up
ip -n n1 addr add 10.50.0.1/24 dev br0
ip -n n1 link set v0b nomaster
ip netns exec n1 ping -c 1 -W 0.3 10.50.0.99
ip -n n1 neigh
ip -n n1 link set v0b master br0
ip -n n1 neigh
ip -n n0 link add v1a type veth peer name v1b netns n1
ip -n n0 addr add 10.9.0.1/24 dev v1a
ip -n n1 addr add 10.9.0.2/24 dev v1b
ip -n n0 link set v1a up
ip -n n1 link set v1b up
ip netns exec n0 ping -c 1 -W 1 10.9.0.2
ip -n n0 neigh
ip -n n0 link set v1a address 02:00:00:00:00:aa
ip -n n0 neigh
ip -n n0 link set v1a address 02:00:00:00:00:aa
ip netns exec n0 ping -c 1 -W 1 10.9.0.2
ip -n n0 neigh
