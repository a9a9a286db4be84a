# A namespace's FIB tables (found by fuzz-diff, seed 1139). n0 never had an address and
# lo is down, so it has no local table: `ip route show table local` fails, and
# arp_constructor, typing the next hop through the missing local table, makes it
# broadcast: a NOARP entry with ff:ff:ff:ff:ff:ff that `ip neigh` does not list (the
# echoes leave from 0.0.0.0, a martian source n1 drops). The entries outlive the local
# table's coming (an address, lo up): packets through them go out in broadcast frames,
# which n1 accepts (drop_unicast_in_l2_multicast is 0), so the ping is answered with no
# ARP from n0, and n1's ARP for n0 leaves the NOARP entry as it is. A route added to a
# table makes it, even when the nexthop check refuses the route; deleting from a table
# that does not exist fails.
ip netns add n0
ip netns add n1
ip -n n0 link add v0a type veth peer name v0b netns n1
ip -n n0 link set v0a up
ip -n n1 addr add 10.1.0.2/24 dev v0b
ip -n n1 link set v0b up
ip -n n0 route show table local
ip -n n0 route add default dev v0a
ip netns exec n0 ping -c 1 -W 0.3 192.168.7.7
ip -n n0 neigh
ip netns exec n0 ping -c 1 -W 0.3 10.1.0.2
ip -n n0 neigh
ip -n n0 addr add 10.1.0.1/24 dev v0a
ip -n n0 route show table local
ip netns exec n0 ping -c 1 -W 0.3 10.1.0.2
ip -n n0 neigh
ip -n n1 neigh
ip -n n0 link set lo up
ip netns exec n0 ping -c 1 -W 0.3 192.168.7.7
ip -n n0 neigh
ip -n n0 route del 10.0.0.0/24 table 100
ip -n n0 route add 10.0.0.0/24 via 10.9.9.9 table 100
ip -n n0 route show table 100
ip -n n0 route del 10.0.0.0/24 table 100
