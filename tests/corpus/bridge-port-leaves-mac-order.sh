# A bridge takes its ports' smallest MAC, and when a port leaves and that changes, it
# flushes its neighbours (NETDEV_CHANGEADDR -> neigh_changeaddr): here n0's INCOMPLETE
# entry for 10.50.0.10 on br0 goes with v0a. With random kernel MACs the flush happened
# in some runs only (fuzz-diff, seed 7242); the diff lab now gives each veth end the
# simulator's MAC.
ip netns add n0
ip netns add n1
ip netns add n2
ip netns add n3
ip -n n0 link set lo up
ip -n n1 link set lo up
ip -n n3 link set lo up
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n0 addr add 10.1.0.1/24 dev v0a
ip -n n2 addr add 10.2.0.2/24 dev v1b
ip -n n0 link add v2a type veth peer name v2b netns n3
ip -n n3 addr add 10.3.0.2/24 dev v2b
ip -n n1 link set v0b up
ip -n n1 link set v1a up
ip -n n2 link set v1b up
ip netns exec n0 ping -c 1 -W 0.3 10.200.1.1
ip netns exec n0 ping -c 1 -W 0.3 127.0.0.1
ip -n n0 -4 -br addr
ip netns exec n0 ping -c 1 -W 0.3 10.2.0.1
ip netns exec n2 ping -c 1 -W 0.3 10.200.1.1
ip netns exec n1 ping -c 1 -W 0.3 192.168.7.7
ip -n n3 neigh
ip -n n0 link add br0 type bridge
ip -n n0 link set v0a master br0
ip -n n1 addr add 10.50.0.10/24 dev v0b
ip -n n0 link set v2a master br0
ip -n n0 link set v2a up
ip -n n3 addr add 10.50.0.11/24 dev v2b
ip -n n3 link set v2b up
ip -n n0 link set br0 up
ip -n n0 addr add 10.50.0.1/24 dev br0
ip -n n0 -br link
ip netns exec n0 ping -c 1 -W 0.3 10.50.0.10
ip -n n0 link set v0a nomaster
ip -n n0 link set br0 up
ip -n n0 link set v0a down
bridge -n n0 fdb show
ip -n n0 -4 -br addr
ip -n n0 neigh
