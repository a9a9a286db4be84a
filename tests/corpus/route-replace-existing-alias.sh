# ip route replace / change of a route that is already there, but not as the first route
# of its key (found by fuzz-diff, seed 21): fib_table_insert finds the exact match
# (fa_match) among the aliases of the same prefix, tos and metric; the first one makes the
# request a no-op, a later one makes it fail with EEXIST.
ip netns add n0
ip netns add n1
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n0 addr add 10.1.0.1/24 dev v0a
ip -n n1 addr add 10.1.0.2/24 dev v0b
ip -n n0 link set v0a up
ip -n n1 link set v0b up
ip -n n1 route append 10.1.0.0/24 via 10.1.0.1
ip -n n1 route replace 10.1.0.0/24 via 10.1.0.1 dev v0b
ip -n n1 route change 10.1.0.0/24 via 10.1.0.1
ip -n n1 route
ip -n n1 route replace 10.1.0.0/24 dev v0b
ip -n n1 route
