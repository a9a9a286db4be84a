# ICMP redirect (found by fuzz-diff, seed 1146): n0 forwards n2's echo for 10.1.0.2 back
# out of v1a, where it came in (v0a is down, so its /24 is not routed and the /16 on v1a
# covers 10.1.0.2). With send_redirects on and the sender directly on that link,
# ip_forward sends n2 a redirect; ping prints it with a colon ("From R: icmp_seq=N
# Redirect Host(New nexthop: G)"), counts it neither as an error nor as an answer.
# Redirects back off (20 ms << n): three pings 0.2 s apart all get one. n2 then resolves
# the new gateway (neigh_event_send): an INCOMPLETE, later FAILED, entry for 10.1.0.2.
ip netns add n0
ip netns add n1
ip netns add n2
ip -n n0 link set lo up
ip -n n2 link set lo up
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n0 addr add 10.1.0.1/24 dev v0a
ip -n n1 addr add 10.1.0.2/24 dev v0b
ip -n n0 link add v1a type veth peer name v1b netns n2
ip -n n0 addr add 10.1.9.1/16 dev v1a
ip -n n2 addr add 10.1.9.2/16 dev v1b
ip -n n1 link set v0b up
ip -n n0 link set v1a up
ip -n n2 link set v1b up
ip -n n2 route add 10.1.0.0/24 via 10.1.9.1
ip netns exec n0 sysctl -w net.ipv4.ip_forward=1
ip netns exec n2 ping -c 1 -W 0.3 10.1.0.1
ip netns exec n2 ping -c 3 -i 0.2 -W 0.3 10.1.0.2
ip -n n2 neigh
ip -n n0 neigh
sleep 3.2
ip -n n2 neigh
ip -n n0 neigh
ip netns exec n2 ping -c 2 -W 0.3 10.1.0.2
