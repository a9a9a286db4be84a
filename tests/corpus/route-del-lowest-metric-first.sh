# `ip route del PREFIX` without a metric (found by fuzz-diff, seed 5133): fib_table_delete
# looks for the first matching alias from priority 0 up, and a key's aliases are sorted
# by metric, so the lowest-metric route goes first whatever the order they were added
# in; with a device given, the lowest-metric route through it.
ip netns add n0
ip netns add n1
ip -n n0 link add va type veth peer name vb netns n1
ip -n n0 link add vc type veth peer name vd netns n1
ip -n n0 link set va up
ip -n n0 link set vc up
ip -n n0 route add 10.5.0.0/24 dev va metric 20
ip -n n0 route add 10.5.0.0/24 dev vc metric 10
ip -n n0 route add 10.5.0.0/24 dev vc metric 30
ip -n n0 route add 10.5.0.0/24 dev va metric 5
ip -n n0 route
ip -n n0 route del 10.5.0.0/24
ip -n n0 route
ip -n n0 route del 10.5.0.0/24 dev vc
ip -n n0 route
ip -n n0 route del 10.5.0.0/24
ip netns exec n0 route -n
