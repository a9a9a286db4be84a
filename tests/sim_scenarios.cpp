#include "sim_scenarios.hpp"

namespace vethlab::testing {
namespace {

// The seed article, built without touching the host: taps hold the addresses, the veth
// pair has none, and the routes point at the taps until `ip route change`.
const char* kSeed = R"(
ip netns add ns0
ip netns add ns1
ip -n ns0 tuntap add dev tap0 mode tap
ip -n ns1 tuntap add dev tap1 mode tap
ip -n ns0 addr add 10.0.0.1/24 dev tap0
ip -n ns1 addr add 10.0.0.2/24 dev tap1
ip -n ns0 link set tap0 up
ip -n ns1 link set tap1 up
ip -n ns0 link add veth0 type veth peer name veth1 netns ns1
ip -n ns0 link set veth0 up
ip -n ns1 link set veth1 up
)";

const char* kLine = R"(
ip netns add a
ip netns add r
ip netns add b
ip -n a link set lo up
ip -n r link set lo up
ip -n b link set lo up
ip -n a link add ar0 type veth peer name ra0 netns r
ip -n b link add br0 type veth peer name rb0 netns r
ip -n a addr add 10.1.0.1/24 dev ar0
ip -n r addr add 10.1.0.254/24 dev ra0
ip -n r addr add 10.2.0.254/24 dev rb0
ip -n b addr add 10.2.0.1/24 dev br0
ip -n a link set ar0 up
ip -n r link set ra0 up
ip -n r link set rb0 up
ip -n b link set br0 up
ip -n a route add default via 10.1.0.254
)";

std::vector<Scenario> make() {
    std::vector<Scenario> s;
    s.push_back({"seed before the fix, lo down: silent loss", kSeed, {{"ns0", "-c 3 -i 0.5 -W 1 10.0.0.2"}}});
    s.push_back({"seed before the fix, lo up: host unreachable from ourselves",
                 std::string(kSeed) + "ip -n ns0 link set lo up\n", {{"ns0", "-c 3 -i 0.5 10.0.0.2"}}});
    s.push_back({"seed after ip route change: replies with ttl 64",
                 std::string(kSeed) + "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n"
                                      "ip -n ns1 route change 10.0.0.0/24 via 0.0.0.0 dev veth1\n",
                 {{"ns0", "-c 2 -i 0.2 10.0.0.2"}, {"ns1", "-c 2 -i 0.2 10.0.0.1"}}});
    s.push_back({"fixed in one direction only: the reply has no way back",
                 std::string(kSeed) + "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n",
                 {{"ns0", "-c 2 -i 0.2 -W 1 10.0.0.2"}}});
    s.push_back({"no route: connect fails", kSeed, {{"ns0", "-c 1 192.168.7.7"}}});
    s.push_back({"own address with lo down: silent; 127.0.0.1: no route", kSeed,
                 {{"ns0", "-c 2 -i 0.2 -W 1 10.0.0.1"}, {"ns0", "-c 1 127.0.0.1"}}});
    s.push_back({"router without forwarding drops silently", std::string(kLine) + "ip -n b route add default via 10.2.0.254\n",
                 {{"a", "-c 2 -i 0.2 -W 1 10.2.0.1"}}});
    s.push_back({"router forwards: ttl 63; its own far address answers",
                 std::string(kLine) + "ip -n b route add default via 10.2.0.254\n"
                                      "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 2 -i 0.2 10.2.0.1"}, {"a", "-c 1 10.2.0.254"}}});
    s.push_back({"router has no route: net unreachable from its address facing us",
                 std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 2 -i 0.2 10.9.0.1"}}});
    // ip_error and icmp_send draw on one token bucket per remote host: 1 s each of 5-6 s.
    s.push_back({"unroutable packets: ip_error and the ICMP rate limit share the sender's tokens",
                 std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 10 -i 0.2 -W 1 10.9.0.1"}, {"a", "-c 4 -i 0.5 -W 1 10.9.0.1"}}});
    s.push_back({"time exceeded: a burst of 6, then one per icmp_ratelimit ms",
                 std::string(kLine) + "ip -n b route add default via 10.2.0.254\n"
                                      "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 9 -i 0.1 -W 1 -t 1 10.2.0.1"}}});
    s.push_back({"icmp_ratelimit=0 lifts the limit",
                 std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n"
                                      "ip netns exec r sysctl -w net.ipv4.icmp_ratelimit=0\n",
                 {{"a", "-c 10 -i 0.2 -W 1 10.9.0.1"}}});
    s.push_back({"icmp_ratemask without time exceeded: every time exceeded is sent",
                 std::string(kLine) + "ip -n b route add default via 10.2.0.254\n"
                                      "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n"
                                      "ip netns exec r sysctl -w net.ipv4.icmp_ratemask=8\n",
                 {{"a", "-c 9 -i 0.1 -W 1 -t 1 10.2.0.1"}, {"a", "-c 8 -i 0.1 -W 1 10.9.0.1"}}});
    s.push_back({"router cannot resolve the next hop: host unreachable from the router",
                 std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 2 -i 0.5 10.2.0.77"}}});
    s.push_back({"ttl 1 through a router: time exceeded",
                 std::string(kLine) + "ip -n b route add default via 10.2.0.254\n"
                                      "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n",
                 {{"a", "-c 1 -t 1 10.2.0.1"}}});
    s.push_back({"weak host: the far address of the router answers ARP on the near link",
                 std::string(kLine) + "ip -n a route add 10.2.0.254/32 dev ar0\n", {{"a", "-c 2 -i 0.2 10.2.0.254"}}});
    s.push_back({"unreachable and prohibit routes fail connect", std::string(kLine) +
                 "ip -n a route add unreachable 10.5.0.0/16\nip -n a route add prohibit 10.6.0.0/16\n"
                 "ip -n a route add blackhole 10.7.0.0/16\n",
                 {{"a", "-c 1 10.5.0.1"}, {"a", "-c 1 10.6.0.1"}, {"a", "-c 1 10.7.0.1"}}});
    s.push_back({"peer end down: no carrier, ARP never leaves", std::string(kLine) + "ip -n r link set ra0 down\n",
                 {{"a", "-c 2 -i 0.5 10.1.0.254"}}});
    s.push_back({"rp_filter strict drops a packet whose way back is another device",
                 std::string(kLine) + "ip -n b route add default via 10.2.0.254\n"
                 "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n"
                 "ip -n b link add bx type veth peer name xb\n"
                 "ip -n b link set bx up\nip -n b link set xb up\n"
                 "ip -n b route add 10.1.0.0/24 dev bx\n"
                 "ip netns exec b sysctl -w net.ipv4.conf.all.rp_filter=1\n",
                 {{"a", "-c 2 -i 0.2 -W 1 10.2.0.1"}}});
    // b answers over a second link to r: the way back differs from the way in.
    const std::string asymmetric = std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n"
                                   "ip -n b link add br1 type veth peer name rb1 netns r\n"
                                   "ip -n b addr add 10.3.0.1/24 dev br1\nip -n r addr add 10.3.0.254/24 dev rb1\n"
                                   "ip -n b link set br1 up\nip -n r link set rb1 up\n"
                                   "ip -n b route add 10.1.0.0/24 via 10.3.0.254\n";
    s.push_back({"rp_filter loose accepts a packet whose way back is another device",
                 asymmetric + "ip netns exec b sysctl -w net.ipv4.conf.all.rp_filter=2\n",
                 {{"a", "-c 2 -i 0.2 -W 1 10.2.0.1"}}});
    s.push_back({"rp_filter strict on the device only (max of all and the device)",
                 asymmetric + "ip netns exec b sysctl -w net.ipv4.conf.br0.rp_filter=1\n",
                 {{"a", "-c 2 -i 0.2 -W 1 10.2.0.1"}}});
    const std::string weak = std::string(kLine) + "ip -n a route add 10.2.0.254/32 dev ar0\n";
    s.push_back({"arp_ignore=1 on the router's near device: its far address no longer answers ARP",
                 weak + "ip netns exec r sysctl -w net.ipv4.conf.ra0.arp_ignore=1\n",
                 {{"a", "-c 2 -i 0.5 10.2.0.254"}, {"a", "-c 1 10.1.0.254"}}});
    s.push_back({"arp_ignore=2: the sender must be in the target's subnet",
                 std::string(kLine) + "ip -n a addr add 10.9.0.1/32 dev ar0\n"
                 "ip netns exec r sysctl -w net.ipv4.conf.all.arp_ignore=2\n",
                 {{"a", "-c 2 -i 0.5 -I 10.9.0.1 10.1.0.254"}, {"a", "-c 1 10.1.0.254"}}});
    s.push_back({"arp_ignore=8: no ARP answers at all",
                 std::string(kLine) + "ip netns exec r sysctl -w net.ipv4.conf.all.arp_ignore=8\n",
                 {{"a", "-c 2 -i 0.5 10.1.0.254"}}});
    return s;
}

}  // namespace

const std::string& pair_script() {
    static const std::string pair = R"(
ip netns add a
ip netns add b
ip -n a link add veth0 type veth peer name veth1 netns b
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n b link set veth1 up
)";
    return pair;
}

const std::string& seed_script() {
    static const std::string seed = kSeed;
    return seed;
}

const std::string& remote_peer_down_script() {
    static const std::string script = R"(
ip netns add a
ip netns add b
ip netns add c
ip netns add d
ip -n a tuntap add dev t1 mode tap
ip -n b link add p0 type veth peer name q0 netns a
ip -n b tuntap add dev x1 mode tap
ip -n b tuntap add dev x2 mode tap
ip -n b link add p1 type veth peer name q1 netns a
ip -n c link add c0 type veth peer name c1 netns b
ip -n c link set c0 up
ip -n b link set c1 up
ip -n d link add p3 type veth peer name q3 netns c
ip -n a link set q0 up
ip -n a link set q1 up
ip -n c link set q3 up
ip -n a addr add 10.3.0.1/24 dev q1
)";
    return script;
}

const std::string& line_script() {
    static const std::string line = kLine;
    return line;
}

const std::vector<Scenario>& sim_scenarios() {
    static const std::vector<Scenario> all = make();
    return all;
}

}  // namespace vethlab::testing
