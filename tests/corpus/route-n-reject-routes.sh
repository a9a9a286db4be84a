# route -n of reject routes (found by fuzz-diff, seed 8): /proc/net/route marks
# unreachable and prohibit RTF_REJECT, and net-tools prints them with "-" for gateway,
# Ref and Iface and the flag "!" alone (plus H); a blackhole is not a reject route and
# prints as an ordinary route on no device ("U", gateway 0.0.0.0, Iface "*").
ip netns add n0
ip -n n0 route add blackhole 10.5.0.0/24
ip -n n0 route add unreachable 10.6.0.0/24
ip -n n0 route add prohibit 10.7.0.7/32 metric 20
ip -n n0 route add blackhole 10.8.0.8/32
ip -n n0 route add prohibit default
ip netns exec n0 route -n
