# A gateway that is the namespace's own address (found by fuzz-diff, seed 5244): the
# kernel accepts it (fib_check_nh_v4_gw finds a local route, which is allowed) and gives
# the nexthop that route's scope, host; rt_set_nexthop uses a gateway only of scope link,
# so packets go straight to their destination on the route's device. `ip route` and
# `route -n` print the via. With another device the gateway is invalid.
ip netns add n0
ip netns add n1
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n1 addr add 10.1.0.2/24 dev v0b
ip -n n1 link add v1a type veth peer name v1b netns n0
ip -n n0 addr add 10.1.0.4/24 dev v1b
ip -n n0 link set v0a up
ip -n n1 link set v0b up
ip -n n1 link set v1a up
ip -n n0 link set v1b up
ip -n n1 route change 10.1.0.0/24 via 10.1.0.2 dev v0b
ip -n n1 route add 10.9.0.0/24 via 10.1.0.2
ip -n n1 route add 10.8.0.0/24 via 10.1.0.2 dev v1a
ip -n n1 route
ip netns exec n1 ping -c 1 -W 0.3 10.1.0.4
ip -n n1 neigh
ip netns exec n1 route -n
