// The ip-command script reader: one test per rule and per error, the seed article,
// abbreviations as iproute2 resolves them, and garbage that must never crash it.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "model/ip_script.hpp"

using namespace vethlab;

namespace {

Parsed script(std::string_view text) { return parse_ip_script(text, "t.sh"); }

// The one edit of a command that must parse cleanly.
EditOp op_of(std::string_view command) {
    const Parsed p = parse_ip_command(command, SourceLoc{"c", 1, 1});
    INFO(command);
    for (const auto& e : p.errors) INFO(e.str());
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 1);
    return p.topology.edits[0].op;
}

template <class T>
T as(std::string_view command) {
    const EditOp op = op_of(command);
    INFO(command);
    REQUIRE(std::holds_alternative<T>(op));
    return std::get<T>(op);
}

// The single error of a script, as "t.sh:line:col: message".
std::string error_of(std::string_view text) {
    const Parsed p = script(text);
    INFO(text);
    REQUIRE(p.errors.size() == 1);
    return p.errors[0].str();
}

std::string read_example(const std::string& name) {
    std::ifstream in(std::string(VETHLAB_SOURCE_DIR) + "/examples/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("comments, blank lines, shebang and set are accepted without edits", "[ip_script]") {
    const Parsed p = script("#!/bin/bash\n\n# a comment\nset -e\nset -eu\nset -x\nset -o pipefail\n   \n");
    CHECK(p.ok());
    CHECK(p.topology.edits.empty());
    CHECK(p.topology.file == "t.sh");
}

TEST_CASE("trailing comments and semicolons separate nothing into edits", "[ip_script]") {
    const Parsed p = script("ip netns add ns0 # make it\nip netns add ns1; ip netns add ns2 && ip netns del ns0\n");
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 4);
    CHECK(std::get<NetnsAdd>(p.topology.edits[0].op).name == "ns0");
    CHECK(std::get<NetnsAdd>(p.topology.edits[2].op).name == "ns2");
    CHECK(std::get<NetnsDel>(p.topology.edits[3].op).name == "ns0");
    CHECK(p.topology.edits[2].loc == SourceLoc{"t.sh", 2, 19});
    CHECK(p.topology.edits[0].text == "ip netns add ns0");
}

TEST_CASE("ip netns add, del, delete", "[ip_script]") {
    CHECK(as<NetnsAdd>("ip netns add ns0") == NetnsAdd{"ns0"});
    CHECK(as<NetnsDel>("ip netns del ns0") == NetnsDel{"ns0"});
    CHECK(as<NetnsDel>("ip netns delete ns0") == NetnsDel{"ns0"});
    CHECK(as<NetnsAdd>("sudo ip netns add ns0") == NetnsAdd{"ns0"});
}

TEST_CASE("ip netns exec runs ip, ping, route and sysctl in the namespace", "[ip_script]") {
    CHECK(as<LinkSet>("ip netns exec ns0 ip link set veth0 up").ns == "ns0");
    CHECK(as<Ping>("ip netns exec ns0 ping 10.0.0.2").ns == "ns0");
    CHECK(as<Show>("ip netns exec ns1 route -n") == Show{"ns1", ShowWhat::route_n, false, {}, {}});
    CHECK(as<SysctlSet>("ip netns exec r sysctl -w net.ipv4.ip_forward=1").ns == "r");
    CHECK(as<LinkSet>("ip netns exec a ip netns exec b ip link set x up").ns == "b");
    CHECK(as<LinkSet>("ip netns exec a ip -n b link set x up").ns == "b");
}

TEST_CASE("ip -n, -netns, --netns and -br, -4", "[ip_script]") {
    CHECK(as<LinkSet>("ip -n ns0 link set veth0 up").ns == "ns0");
    CHECK(as<LinkSet>("ip -netns ns0 link set veth0 up").ns == "ns0");
    CHECK(as<LinkSet>("ip --netns ns0 link set veth0 up").ns == "ns0");
    CHECK(as<Show>("ip -br -n ns0 addr") == Show{"ns0", ShowWhat::ip_addr, true, {}, {}});
    CHECK(as<Show>("ip -brief link").brief);
    CHECK(as<Show>("ip -4 route") == Show{"", ShowWhat::ip_route, false, {}, {}});
    CHECK(as<Show>("ip -family inet -n x route").ns == "x");
}

TEST_CASE("ip link add type veth in all its forms", "[ip_script]") {
    LinkAdd plain{"", "veth0", LinkKind::veth, {}, {}, {}, {}, "veth1", {}, {}, {}};
    CHECK(as<LinkAdd>("ip link add veth0 type veth peer name veth1") == plain);
    CHECK(as<LinkAdd>("ip link add name veth0 type veth peer name veth1") == plain);
    CHECK(as<LinkAdd>("ip link add dev veth0 type veth peer veth1") == plain);
    const auto full = as<LinkAdd>(
        "ip -n h link add veth0 netns ns0 mtu 1400 address 02:00:00:00:00:01 up type veth "
        "peer name veth1 netns ns1 mtu 9000 address 02:00:00:00:00:02");
    CHECK(full.ns == "h");
    CHECK(full.netns == "ns0");
    CHECK(full.mtu == 1400u);
    CHECK(full.mac == Mac({2, 0, 0, 0, 0, 1}));
    CHECK(full.up == true);
    CHECK(full.peer == "veth1");
    CHECK(full.peer_netns == "ns1");
    CHECK(full.peer_mtu == 9000u);
    CHECK(full.peer_mac == Mac({2, 0, 0, 0, 0, 2}));
}

TEST_CASE("ip link add type dummy", "[ip_script]") {
    LinkAdd d{"", "d0", LinkKind::dummy, {}, {}, {}, {}, "", {}, {}, {}};
    CHECK(as<LinkAdd>("ip link add d0 type dummy") == d);
    CHECK(as<LinkAdd>("ip link add name d0 type dummy") == d);
}

TEST_CASE("ip tuntap add and del in their forms", "[ip_script]") {
    LinkAdd tap{"", "tap0", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}};
    CHECK(as<LinkAdd>("ip tuntap add dev tap0 mode tap") == tap);
    CHECK(as<LinkAdd>("ip tuntap add mode tap tap0") == tap);
    CHECK(as<LinkAdd>("ip tuntap add mode tap name tap0") == tap);
    CHECK(as<LinkAdd>("ip tap add tap0 mode tap") == tap);
    CHECK(as<LinkDel>("ip tuntap del dev tap0 mode tap") == LinkDel{"", "tap0"});
    CHECK(as<LinkDel>("ip tuntap delete tap0") == LinkDel{"", "tap0"});
}

TEST_CASE("ip link set with several changes gives one LinkSet", "[ip_script]") {
    const LinkSet s = as<LinkSet>("ip link set dev veth0 netns ns1 name v1 address 02:aa:00:00:00:01 mtu 1400 up");
    CHECK(s == LinkSet{"", "veth0", "ns1", "v1", Mac({2, 0xaa, 0, 0, 0, 1}), 1400u, true});
    CHECK(as<LinkSet>("ip link set veth0 down").up == false);
    CHECK(as<LinkSet>("ip link set veth0 mtu 0x578").mtu == 1400u);
    CHECK(as<LinkSet>("ip link set name veth0 up") == LinkSet{"", "veth0", {}, {}, {}, {}, true});
    CHECK(as<LinkSet>("ip link change veth0 up").up == true);
    CHECK(as<LinkSet>("ip link set dev veth0 name veth0").new_name == "veth0");
}

TEST_CASE("ip link del and delete", "[ip_script]") {
    CHECK(as<LinkDel>("ip link del veth0") == LinkDel{"", "veth0"});
    CHECK(as<LinkDel>("ip -n x link delete dev veth0") == LinkDel{"x", "veth0"});
}

TEST_CASE("ip addr add and del", "[ip_script]") {
    const AddrAdd a{"ns0", "tap0", IfAddr(Ipv4(10, 0, 0, 1), 24)};
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/24 dev tap0") == a);
    CHECK(as<AddrAdd>("ip -n ns0 address add dev tap0 10.0.0.1/24") == a);
    CHECK(as<AddrAdd>("ip -n ns0 a a local 10.0.0.1/24 dev tap0") == a);
    AddrAdd b = a;
    b.broadcast = Ipv4(10, 0, 0, 255);
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/24 brd + dev tap0") == b);
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/24 broadcast + dev tap0 scope global") == b);
    CHECK(as<AddrAdd>("ip -n ns0 addr add brd 10.0.0.255 10.0.0.1/24 dev tap0") == b);
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/24 brd - dev tap0").broadcast == Ipv4(10, 0, 0, 0));
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/31 brd + dev tap0").broadcast == std::nullopt);
    CHECK(as<AddrAdd>("ip -n ns0 addr add 10.0.0.1/30 brd + dev tap0").broadcast == Ipv4(10, 0, 0, 3));
    CHECK(as<AddrAdd>("ip addr add 127.0.0.2/8 dev lo scope host").addr == IfAddr(Ipv4(127, 0, 0, 2), 8));
    CHECK(as<AddrAdd>("ip addr add 10.0.0.9 dev x").addr == IfAddr(Ipv4(10, 0, 0, 9), 32));
    CHECK(as<AddrDel>("ip -n ns0 addr del 10.0.0.1/24 dev tap0") == AddrDel{"ns0", "tap0", a.addr});
}

TEST_CASE("ip route add with every field", "[ip_script]") {
    const RouteEdit r = as<RouteEdit>(
        "ip -n x route add 10.1.0.0/16 via 10.0.0.1 dev veth0 src 10.0.0.2 metric 100 table 100 "
        "scope global proto static tos 0x10 onlink");
    CHECK(r.ns == "x");
    CHECK(r.op == RouteOp::add);
    CHECK(r.route.dst == Prefix(Ipv4(10, 1, 0, 0), 16));
    CHECK(r.route.via == Ipv4(10, 0, 0, 1));
    CHECK(r.route.dev == "veth0");
    CHECK(r.route.src == Ipv4(10, 0, 0, 2));
    CHECK(r.route.metric == 100u);
    CHECK(r.route.table == 100u);
    CHECK(r.route.scope == RouteScope::universe);
    CHECK(r.route.proto == RouteProto::static_);
    CHECK(r.route.tos == 0x10);
    CHECK(r.route.onlink);
    CHECK_FALSE(r.route.type_given);
}

TEST_CASE("ip route verbs, types, default, synonyms", "[ip_script]") {
    CHECK(as<RouteEdit>("ip route change 10.0.0.0/24 via 0.0.0.0 dev veth0").op == RouteOp::change);
    CHECK(as<RouteEdit>("ip route change 10.0.0.0/24 via 0.0.0.0 dev veth0").route.via == Ipv4());
    CHECK(as<RouteEdit>("ip route replace default via 10.0.0.1").route.dst == Prefix());
    CHECK(as<RouteEdit>("ip route append 10.0.0.0/8 dev x").op == RouteOp::append);
    CHECK(as<RouteEdit>("ip route del 10.0.0.0/8").op == RouteOp::del);
    CHECK(as<RouteEdit>("ip route delete to 10.0.0.0/8").op == RouteOp::del);
    const RouteEdit bh = as<RouteEdit>("ip route add blackhole 10.9.0.0/16");
    CHECK(bh.route.type == RouteType::blackhole);
    CHECK(bh.route.type_given);
    CHECK(as<RouteEdit>("ip route add unicast 10.9.0.0/16 dev x").route.type_given);
    CHECK(as<RouteEdit>("ip route add local 10.0.0.5 dev lo table local").route.type == RouteType::local);
    CHECK(as<RouteEdit>("ip r a 10.0.0.0/8 dev x oif y").route.dev == "y");
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x priority 7").route.metric == 7u);
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x preference 8").route.metric == 8u);
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x dsfield 1c").route.tos == 0x1c);
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 via inet 10.0.0.1").route.via == Ipv4(10, 0, 0, 1));
}

TEST_CASE("parse_route_spec reads the words after the verb", "[ip_script]") {
    auto r = parse_route_spec({"10.0.0.0/24", "via", "0.0.0.0", "dev", "veth0"});
    REQUIRE(r.ok());
    CHECK(r->dst == Prefix(Ipv4(10, 0, 0, 0), 24));
    CHECK(r->via == Ipv4());
    CHECK(r->dev == "veth0");
    auto bad = parse_route_spec({"10.0.0.1/24", "dev", "x"});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error() == "'10.0.0.1/24' has host bits set: Invalid prefix for given prefix length.");
    CHECK(parse_route_spec({"dev", "x"}).error() == "the route needs a destination (a prefix or 'default')");
    CHECK(parse_route_spec({"default", "metric", "x"}).error() == "'metric' needs a number, got 'x'");
}

TEST_CASE("sysctl forms and echo into /proc/sys", "[ip_script]") {
    const SysctlSet fwd{"", "net.ipv4.ip_forward", "1"};
    CHECK(as<SysctlSet>("sysctl -w net.ipv4.ip_forward=1") == fwd);
    CHECK(as<SysctlSet>("sysctl -q -w net.ipv4.ip_forward=1") == fwd);
    CHECK(as<SysctlSet>("sysctl -qw net.ipv4.ip_forward=1") == fwd);
    CHECK(as<SysctlSet>("sysctl net.ipv4.ip_forward=1") == fwd);
    CHECK(as<SysctlSet>("sysctl -w net/ipv4/ip_forward=1") == fwd);
    CHECK(as<SysctlSet>("echo 1 > /proc/sys/net/ipv4/ip_forward") == fwd);
    CHECK(as<SysctlSet>("echo 1 >/proc/sys/net/ipv4/ip_forward") == fwd);
    CHECK(as<SysctlSet>("sysctl -w net/ipv4/conf/eth0.100/rp_filter=2").key == "net.ipv4.conf.eth0.100.rp_filter");
    const Parsed two = script("sysctl -w net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0\n");
    REQUIRE(two.ok());
    CHECK(two.topology.edits.size() == 2);
}

TEST_CASE("ping options, glued and separate", "[ip_script]") {
    const Ping p = as<Ping>("ping -c 3 -i 0.2 -W 1 -w 5 -I veth0 -t 9 -q -4 10.0.0.2");
    CHECK(p.dst == Ipv4(10, 0, 0, 2));
    CHECK(p.count == 3);
    CHECK(p.interval == 0.2);
    CHECK(p.timeout == 1.0);
    CHECK(p.deadline == 5.0);
    CHECK(p.iface == "veth0");
    CHECK(p.ttl == 9);
    CHECK(p.quiet);
    CHECK(as<Ping>("ping -c3 10.0.0.2").count == 3);
    CHECK(as<Ping>("ping -qc2 -W1 10.0.0.2").count == 2);
    CHECK(as<Ping>("ping -n 10.0.0.2").count == std::nullopt);
}

TEST_CASE("observations: route -n, ip route, ip addr, ip link, ip neigh", "[ip_script]") {
    CHECK(as<Show>("route -n") == Show{"", ShowWhat::route_n, false, {}, {}});
    CHECK(as<Show>("ip route show table local") == Show{"", ShowWhat::ip_route, false, kTableLocal, {}});
    CHECK(as<Show>("ip route list table 100 dev x") == Show{"", ShowWhat::ip_route, false, 100u, "x"});
    CHECK(as<Show>("ip addr show dev veth0") == Show{"", ShowWhat::ip_addr, false, {}, "veth0"});
    CHECK(as<Show>("ip a s veth0") == Show{"", ShowWhat::ip_addr, false, {}, "veth0"});
    CHECK(as<Show>("ip link show veth0") == Show{"", ShowWhat::ip_link, false, {}, "veth0"});
    CHECK(as<Show>("ip -br link") == Show{"", ShowWhat::ip_link, true, {}, {}});
    CHECK(as<Show>("ip neigh") == Show{"", ShowWhat::ip_neigh, false, {}, {}});
    CHECK(as<Show>("ip neighbour show dev v") == Show{"", ShowWhat::ip_neigh, false, {}, "v"});
    CHECK(as<Show>("ip -n ns0 -br a").brief);
}

TEST_CASE("'|| true' is accepted after observations only", "[ip_script]") {
    const Parsed p = script("ip netns exec ns0 ping -c 3 10.0.0.2 || true\nroute -n || :\n");
    CHECK(p.ok());
    CHECK(p.topology.edits.size() == 2);
    CHECK(p.topology.edits[0].text == "ip netns exec ns0 ping -c 3 10.0.0.2");
    CHECK(error_of("ip link set veth0 up || true\n") ==
          "t.sh:1:22: '|| true' is only supported after an observation (ping, route -n, ip ... show)");
    CHECK(error_of("ping 10.0.0.1 || echo no\n") ==
          "t.sh:1:15: '||' is only supported as '|| true' after an observation");
}

TEST_CASE("abbreviations resolve as in iproute2", "[ip_script]") {
    CHECK(std::holds_alternative<Show>(op_of("ip l")));
    CHECK(std::holds_alternative<Show>(op_of("ip li")));
    CHECK(std::holds_alternative<Show>(op_of("ip a")));
    CHECK(std::holds_alternative<Show>(op_of("ip addr")));
    CHECK(std::holds_alternative<Show>(op_of("ip r")));
    CHECK(std::holds_alternative<Show>(op_of("ip ro")));
    CHECK(std::holds_alternative<Show>(op_of("ip n")));
    CHECK(std::holds_alternative<Show>(op_of("ip route sh")));
    CHECK(std::holds_alternative<Show>(op_of("ip link l")));   // list
    CHECK(std::holds_alternative<LinkSet>(op_of("ip link s veth0 up")));  // set before show
    CHECK(std::holds_alternative<LinkSet>(op_of("ip l s veth0 up")));
    CHECK(std::holds_alternative<LinkDel>(op_of("ip link d veth0")));
    CHECK(std::holds_alternative<LinkAdd>(op_of("ip li a v0 ty veth peer name v1")));
    CHECK(std::holds_alternative<NetnsAdd>(op_of("ip netns a ns0")));
    CHECK(std::holds_alternative<NetnsAdd>(op_of("ip net a ns0")));
    CHECK(std::holds_alternative<NetnsDel>(op_of("ip netns d ns0")));
    CHECK(std::holds_alternative<LinkSet>(op_of("ip netns e ns0 ip l s veth0 up")));
    CHECK(std::holds_alternative<AddrAdd>(op_of("ip a a 10.0.0.1/24 dev x")));
    CHECK(std::holds_alternative<AddrDel>(op_of("ip a d 10.0.0.1/24 dev x")));
    CHECK(as<RouteEdit>("ip r a 10.0.0.0/8 dev x").op == RouteOp::add);  // add before append
    CHECK(as<RouteEdit>("ip r ap 10.0.0.0/8 dev x").op == RouteOp::append);
    CHECK(as<RouteEdit>("ip r c 10.0.0.0/8 dev x").op == RouteOp::change);
    CHECK(as<RouteEdit>("ip r r 10.0.0.0/8 dev x").op == RouteOp::replace);
    CHECK(as<RouteEdit>("ip r d 10.0.0.0/8").op == RouteOp::del);
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x m 5").route.metric == 5u);      // metric
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x p 6").route.metric == 6u);      // priority
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x pro kernel").route.proto == RouteProto::kernel);
    CHECK(as<RouteEdit>("ip route add 10.0.0.0/8 dev x t main").route.table == kTableMain);
    CHECK(as<RouteEdit>("ip route add u 10.0.0.0/8").route.type == RouteType::unreachable);
    CHECK(as<LinkSet>("ip link set veth0 a 02:00:00:00:00:09").mac == Mac({2, 0, 0, 0, 0, 9}));
}

TEST_CASE("abbreviations that iproute2 reads as another keyword are refused", "[ip_script]") {
    CHECK(error_of("ip link set veth0 t 100\n") == "t.sh:1:19: 't' is not supported in 'ip link set'");  // txqueuelen
    CHECK(error_of("ip -b x link\n") == "t.sh:1:4: ip option '-b' (-batch) is not supported");
    CHECK(error_of("ip netns s\n") == "t.sh:1:10: 'ip netns show' is not supported");
    CHECK(error_of("ip r p 10.0.0.0/8 dev x\n") == "t.sh:1:6: 'ip route prepend' is not supported");
    CHECK(error_of("ip t\n") == "t.sh:1:4: 'ip tunnel' is not supported");
}

TEST_CASE("errors: unknown commands, objects and verbs", "[ip_script]") {
    CHECK(error_of("ip lnk add veth0\n") == "t.sh:1:4: unknown command 'ip lnk'");
    CHECK(error_of("foo bar\n") == "t.sh:1:1: unknown command 'foo'");
    CHECK(error_of("ip link frob veth0\n") == "t.sh:1:9: unknown command 'ip link frob'");
    CHECK(error_of("ip rule add from all\n") == "t.sh:1:4: 'ip rule' is not supported");
    CHECK(error_of("ip\n") == "t.sh:1:1: 'ip' needs an object (link, address, route, neigh, netns, tuntap)");
    CHECK(error_of("ip -x link\n") == "t.sh:1:4: unknown ip option '-x'");
    CHECK(error_of("ip -6 route\n") == "t.sh:1:4: ip option '-6' is not supported");
    CHECK(error_of("route\n") == "t.sh:1:1: 'route' is only supported as 'route -n'");
    CHECK(error_of("route -n -v\n") == "t.sh:1:10: unexpected word '-v' after '-n'");
}

TEST_CASE("errors: values", "[ip_script]") {
    CHECK(error_of("ip link set veth0 mtu abc\n") == "t.sh:1:23: 'mtu' needs a number, got 'abc'");
    CHECK(error_of("ip link set veth0 mtu\n") == "t.sh:1:19: 'mtu' needs a value");
    CHECK(error_of("ip link set veth0 up foo\n") == "t.sh:1:22: unexpected word 'foo' after 'up'");
    CHECK(error_of("ip link set veth0 address 01:00:00:00:00:01\n") ==
          "t.sh:1:27: MAC address '01:00:00:00:00:01' is multicast: Cannot assign requested address");
    CHECK(error_of("ip link add averyveryverylongname type veth peer name b\n") ==
          "t.sh:1:13: interface name 'averyveryverylongname' is 21 bytes; Linux allows 15");
    CHECK(error_of("ip netns add a/b\n") == "t.sh:1:14: Invalid netns name \"a/b\"");
    CHECK(error_of("ip route add 10.0.0.1/24 dev veth0\n") ==
          "t.sh:1:14: '10.0.0.1/24' has host bits set: Invalid prefix for given prefix length.");
    CHECK(error_of("ip route add 10.0.0.0/24 via 10.0.0.300\n") ==
          "t.sh:1:30: invalid IPv4 address '10.0.0.300': 300 is not an octet (0..255)");
    CHECK(error_of("ip route add 10.0.0.0/24 dev x table bogus\n") == "t.sh:1:38: invalid \"table\" value 'bogus'");
    CHECK(error_of("ip route add 10.0.0.0/24 dev x scope far\n") == "t.sh:1:38: invalid \"scope\" value 'far'");
    CHECK(error_of("ping -c abc 10.0.0.1\n") == "t.sh:1:9: '-c' needs a number, got 'abc'");
    CHECK(error_of("ping -c0 10.0.0.1\n") == "t.sh:1:6: '-c' must be at least 1, got '0'");
    CHECK(error_of("ping -s 100 10.0.0.1\n") == "t.sh:1:6: ping option '-s' is not supported");
    CHECK(error_of("ping host.example\n") == "t.sh:1:6: invalid IPv4 address 'host.example'");
    CHECK(error_of("sysctl -w kernel.foo=1\n") ==
          "t.sh:1:11: sysctl 'kernel.foo' is not per network namespace; only net.* keys are supported");
    CHECK(error_of("sysctl net.ipv4.ip_forward\n") ==
          "t.sh:1:8: reading sysctl 'net.ipv4.ip_forward' is not supported (only 'sysctl -w key=value')");
}

TEST_CASE("errors: missing parts", "[ip_script]") {
    CHECK(error_of("ip link add veth0\n") == "t.sh:1:9: 'ip link add' needs a type (veth, bridge or dummy)");
    CHECK(error_of("ip link add type veth peer name b\n") == "t.sh:1:9: 'ip link add' needs a device name");
    CHECK(error_of("ip link add veth0 type veth\n") == "t.sh:1:24: 'type veth' needs 'peer name NAME'");
    CHECK(error_of("ip link add v0 type veth peer name v1 up\n") ==
          "t.sh:1:39: the peer cannot be set up here; use 'ip link set NAME up'");
    CHECK(error_of("ip link add v0 type vxlan\n") == "t.sh:1:21: link type 'vxlan' is not supported (veth, bridge or dummy)");
    CHECK(error_of("ip link add link eth0 name x type veth peer name y\n") ==
          "t.sh:1:13: 'link' is not supported in 'ip link add'");
    CHECK(error_of("ip link set up\n") == "t.sh:1:9: 'ip link set' needs a device name");
    CHECK(error_of("ip addr add 10.0.0.1/24\n") == "t.sh:1:9: 'ip address add' needs 'dev NAME'");
    CHECK(error_of("ip addr add dev x\n") == "t.sh:1:9: 'ip address add' needs an address (e.g. 10.0.0.1/24)");
    CHECK(error_of("ip addr del 10.0.0.1 dev x\n") ==
          "t.sh:1:13: 'ip address del' needs the prefix length (e.g. 10.0.0.1/24)");
    CHECK(error_of("ip addr add 10.0.0.1/24 dev x scope link\n") ==
          "t.sh:1:37: 'scope link' is not supported for 10.0.0.1/24 (only its default, 'global')");
    CHECK(error_of("ip addr add 10.0.0.1/24 dev x brd 10.0.0.256\n") ==
          "t.sh:1:35: invalid broadcast '10.0.0.256' (an IPv4 address, '+' or '-')");
    CHECK(error_of("ip addr add 10.0.0.1/24 dev x brd + brd -\n") == "t.sh:1:41: 'brd' given twice");
    CHECK(error_of("ip route add via 10.0.0.1\n") ==
          "t.sh:1:10: the route needs a destination (a prefix or 'default')");
    CHECK(error_of("ip tuntap add dev tap0\n") == "t.sh:1:11: 'ip tuntap add' needs 'mode tap'");
    CHECK(error_of("ip tuntap add dev tun0 mode tun\n") == "t.sh:1:29: 'mode tun' is not supported (only tap)");
    CHECK(error_of("ip netns exec ns0\n") == "t.sh:1:15: 'ip netns exec ns0' needs a command");
    CHECK(error_of("ping\n") == "t.sh:1:1: 'ping' needs a destination address");
    CHECK(error_of("ping 10.0.0.2 -c 3\n") ==
          "t.sh:1:15: unexpected word '-c' after the destination '10.0.0.2' (ping reads options only before it, "
          "and takes one destination)");
}

TEST_CASE("errors: shell syntax", "[ip_script]") {
    CHECK(error_of("ip link add 'veth0 type veth\n") == "t.sh:1:13: unterminated single quote");
    CHECK(error_of("ip link add \"veth0 type veth\n") == "t.sh:1:13: unterminated double quote");
    CHECK(error_of("ip netns add $NS\n") ==
          "t.sh:1:14: shell expansion '$' is not supported (no variables or substitutions)");
    CHECK(error_of("ip link | cat\n") == "t.sh:1:9: pipes ('|') are not supported");
    CHECK(error_of("ping 10.0.0.1 &\n") == "t.sh:1:15: background jobs ('&') are not supported");
    CHECK(error_of("ip link > out.txt\n") ==
          "t.sh:1:9: redirection '>' is not supported (only 'echo VALUE > /proc/sys/...')");
    CHECK(error_of("ip netns add a; ; ip netns add b\n") == "t.sh:1:17: unexpected ';'");
    CHECK(error_of("set -e -q\n") == "t.sh:1:8: unsupported shell option 'set -q' (only -e, -u, -x, -o)");
    CHECK(error_of("echo 1 > /tmp/x\n") == "t.sh:1:10: 'echo' can only write to /proc/sys/..., not '/tmp/x'");
}

TEST_CASE("errors: more refusals", "[ip_script]") {
    CHECK(error_of("ip tuntap add dev tap0 mode tap pi\n") == "t.sh:1:33: 'pi' is not supported in 'ip tuntap add'");
    CHECK(error_of("ping -t 300 10.0.0.1\n") == "t.sh:1:9: '-t' must be 1..255, got '300'");
    CHECK(error_of("ping -I\n") == "t.sh:1:6: '-I' needs a value");
    CHECK(error_of("ip addr add 10.0.0.1/24 dev a dev b\n") == "t.sh:1:35: 'dev' given twice");
    CHECK(error_of("ip route add 10.0.0.0/8 via 10.0.0.1 via 10.0.0.2\n") ==
          "t.sh:1:38: 'via' given twice (several gateways need 'nexthop', not supported)");
    CHECK(error_of("ip route add 10.0.0.0/8 dev x mtu 1400\n") == "t.sh:1:31: 'mtu' is not supported in 'ip route'");
    CHECK(error_of("ip route add throw 10.0.0.0/8\n") == "t.sh:1:14: route type 'throw' is not supported");
    CHECK(error_of("ip link del veth0 veth1\n") == "t.sh:1:19: unexpected word 'veth1' after 'veth0'");
    CHECK(error_of("ip netns add ns0 ns1\n") == "t.sh:1:18: unexpected word 'ns1' after 'ns0'");
    CHECK(error_of("ip netns list\n") == "t.sh:1:10: 'ip netns list' is not supported");
    CHECK(error_of("ip addr flush dev x\n") == "t.sh:1:9: 'ip address flush' is not supported");
    CHECK(error_of("ip link show up\n") == "t.sh:1:14: 'up' is not supported in 'ip link show' (only 'dev NAME')");
    CHECK(error_of("sysctl -p\n") == "t.sh:1:8: sysctl option '-p' is not supported (only -w, -q, -e)");
    CHECK(error_of("sudo\n") == "t.sh:1:1: 'sudo' needs a command");
    CHECK(error_of("echo 1 >> /proc/sys/net/ipv4/ip_forward\n") ==
          "t.sh:1:8: redirection '>>' is not supported (only '>')");
    CHECK(error_of("ip link set veth0 up \"\x01\"\n") == "t.sh:1:22: unexpected word '\\x01' after 'up'");
}

TEST_CASE("CRLF line endings are read like LF", "[ip_script]") {
    const Parsed p = script("ip netns add ns0\r\nip link add v0 \\\r\n type veth peer name v1\r\n");
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 2);
    CHECK(p.topology.edits[1].text == "ip link add v0 type veth peer name v1");
}

TEST_CASE("quotes and escapes are removed from words", "[ip_script]") {
    CHECK(as<NetnsAdd>("ip netns add 'my ns'").name == "my ns");
    CHECK(as<NetnsAdd>("ip netns add \"n\\\"s\"").name == "n\"s");
    CHECK(as<NetnsAdd>("ip netns add a\\ b").name == "a b");
    CHECK(as<LinkSet>("ip link set 've'\"th0\" up").name == "veth0");
}

TEST_CASE("continuations: columns on continued lines and one logical text", "[ip_script]") {
    const std::string text = "ip link add veth0 \\\n    mtu abc type veth peer name veth1\n";
    CHECK(error_of(text) == "t.sh:2:9: 'mtu' needs a number, got 'abc'");
    const Parsed p = script("ip link add veth0 \\\n  type veth \\\n  peer name veth1\nip link set veth0 \\\nup\n");
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 2);
    CHECK(p.topology.edits[0].text == "ip link add veth0 type veth peer name veth1");
    CHECK(p.topology.edits[0].loc == SourceLoc{"t.sh", 1, 1});
    CHECK(p.topology.edits[1].loc == SourceLoc{"t.sh", 4, 1});
    CHECK(p.topology.edits[1].text == "ip link set veth0 up");
    CHECK(error_of("ip link set ve\\\nth0 mtu x\n") == "t.sh:2:9: 'mtu' needs a number, got 'x'");
}

TEST_CASE("commands read one after another keep only their own words and text", "[ip_script]") {
    // The reader reuses one command's buffers for the next: a long command, then short
    // ones, a redirection, `|| true` and an escaped character in between.
    const Parsed p = script(
        "ip -n n0 link add v1 up type veth peer name v0 netns n1\n"
        "ip netns add n2\n"
        "echo 1 > /proc/sys/net/ipv4/ip_forward\n"
        "ip -n n2 route show || true\n"
        "ip netns add n\\3; ip netns add n4\n");
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 6);
    CHECK(p.topology.edits[0].text == "ip -n n0 link add v1 up type veth peer name v0 netns n1");
    CHECK(std::get<NetnsAdd>(p.topology.edits[1].op).name == "n2");
    CHECK(p.topology.edits[1].text == "ip netns add n2");
    CHECK(std::holds_alternative<SysctlSet>(p.topology.edits[2].op));
    CHECK(p.topology.edits[2].text == "echo 1 > /proc/sys/net/ipv4/ip_forward");
    CHECK(std::holds_alternative<Show>(p.topology.edits[3].op));
    CHECK(p.topology.edits[3].text == "ip -n n2 route show");
    CHECK(std::get<NetnsAdd>(p.topology.edits[4].op).name == "n3");
    CHECK(p.topology.edits[4].text == "ip netns add n\\3");
    CHECK(p.topology.edits[4].loc == SourceLoc{"t.sh", 5, 1});
    CHECK(p.topology.edits[5].text == "ip netns add n4");
    CHECK(p.topology.edits[5].loc == SourceLoc{"t.sh", 5, 19});
}

TEST_CASE("every error of a script is reported, good lines still parse", "[ip_script]") {
    const Parsed p = script(
        "ip netns add ns0\n"
        "ip lnk add x\n"
        "ip link add veth0 type veth peer name veth1\n"
        "ip link set veth0 mtu abc\n"
        "ping -c 3\n"
        "ip netns add ns1\n");
    REQUIRE(p.errors.size() == 3);
    CHECK(p.errors[0].str() == "t.sh:2:4: unknown command 'ip lnk'");
    CHECK(p.errors[1].str() == "t.sh:4:23: 'mtu' needs a number, got 'abc'");
    CHECK(p.errors[2].str() == "t.sh:5:1: 'ping' needs a destination address");
}

TEST_CASE("an edit remembers its first word and text, sudo is part of it", "[ip_script]") {
    const Parsed p = script("  sudo ip netns add ns0   # x\n");
    REQUIRE(p.ok());
    CHECK(p.topology.edits[0].loc == SourceLoc{"t.sh", 1, 3});
    CHECK(p.topology.edits[0].text == "sudo ip netns add ns0");
}

TEST_CASE("parse_ip_command reports columns from its origin", "[ip_script]") {
    const Parsed p = parse_ip_command("ip link set veth0 mtu abc", SourceLoc{"topo.yaml", 12, 7});
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].str() == "topo.yaml:12:29: 'mtu' needs a number, got 'abc'");
    const Parsed ok = parse_ip_command("ip link set veth0 up", SourceLoc{"topo.yaml", 3, 9});
    REQUIRE(ok.ok());
    CHECK(ok.topology.edits[0].loc == SourceLoc{"topo.yaml", 3, 9});
    CHECK(ok.topology.file == "topo.yaml");
    const Parsed empty = parse_ip_command("  # nothing", SourceLoc{"topo.yaml", 4, 5});
    REQUIRE(empty.errors.size() == 1);
    CHECK(empty.errors[0].str() == "topo.yaml:4:5: empty command");
}

TEST_CASE("the seed article parses to its edits in order", "[ip_script]") {
    const Parsed p = parse_ip_script(read_example("seed.sh"), "seed.sh");
    for (const auto& e : p.errors) INFO(e.str());
    REQUIRE(p.ok());
    const auto& e = p.topology.edits;
    REQUIRE(e.size() == 24);
    CHECK(e[0].op == EditOp{NetnsAdd{"ns0"}});
    CHECK(e[1].op == EditOp{NetnsAdd{"ns1"}});
    CHECK(e[2].op == EditOp{LinkAdd{"", "tap0", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}}});
    CHECK(e[4].op == EditOp{LinkSet{"", "tap0", "ns0", {}, {}, {}, {}}});
    CHECK(e[6].op == EditOp{AddrAdd{"ns0", "tap0", IfAddr(Ipv4(10, 0, 0, 1), 24)}});
    CHECK(e[7].op == EditOp{AddrAdd{"ns1", "tap1", IfAddr(Ipv4(10, 0, 0, 2), 24)}});
    CHECK(e[8].op == EditOp{LinkSet{"ns0", "tap0", {}, {}, {}, {}, true}});
    CHECK(e[10].op == EditOp{LinkAdd{"", "veth0", LinkKind::veth, {}, {}, {}, {}, "veth1", {}, {}, {}}});
    CHECK(e[11].op == EditOp{LinkSet{"", "veth0", "ns0", {}, {}, {}, {}}});
    CHECK(e[12].op == EditOp{LinkSet{"", "veth1", "ns1", {}, {}, {}, {}}});
    CHECK(e[13].op == EditOp{LinkSet{"ns0", "veth0", {}, {}, {}, {}, true}});
    CHECK(e[14].op == EditOp{LinkSet{"ns1", "veth1", {}, {}, {}, {}, true}});
    Ping ping;
    ping.ns = "ns0";
    ping.dst = Ipv4(10, 0, 0, 2);
    ping.count = 3;
    CHECK(e[15].op == EditOp{ping});
    CHECK(e[16].op == EditOp{Show{"ns0", ShowWhat::route_n, false, {}, {}}});
    CHECK(e[17].op == EditOp{Show{"ns1", ShowWhat::route_n, false, {}, {}}});
    RouteSpec change;
    change.dst = Prefix(Ipv4(10, 0, 0, 0), 24);
    change.via = Ipv4();
    change.dev = "veth0";
    CHECK(e[18].op == EditOp{RouteEdit{"ns0", RouteOp::change, change}});
    change.dev = "veth1";
    CHECK(e[19].op == EditOp{RouteEdit{"ns1", RouteOp::change, change}});
    CHECK(e[20].op == EditOp{Show{"ns0", ShowWhat::route_n, false, {}, {}}});
    CHECK(e[22].op == EditOp{ping});
    ping.ns = "ns1";
    ping.dst = Ipv4(10, 0, 0, 1);
    CHECK(e[23].op == EditOp{ping});
    CHECK(e[18].text == "ip netns exec ns0 ip route change 10.0.0.0/24 via 0.0.0.0 dev veth0");
}

TEST_CASE("the other examples parse without errors", "[ip_script]") {
    for (const char* name : {"mesh3.sh", "router-line.sh"}) {
        const Parsed p = parse_ip_script(read_example(name), name);
        INFO(name);
        for (const auto& e : p.errors) INFO(e.str());
        CHECK(p.ok());
        CHECK(p.topology.edits.size() > 10);
    }
}

TEST_CASE("garbage input never crashes the reader", "[ip_script]") {
    std::mt19937 rng(20201109);
    static const std::vector<std::string> pieces = {
        "ip", " ", "link", "add", "set", "veth0", "type", "veth", "peer", "name", "netns", "exec", "ns0", "-n",
        "route", "addr", "a", "r", "ping", "-c", "3", "10.0.0.1", "/24", "'", "\"", "\\", "\n", "\\\n", "#", ";",
        "&&", "||", "true", "|", ">", "$", "`", "sysctl", "-w", "net.ipv4.ip_forward=1", "echo", "/proc/sys/x",
        "sudo", "set", "-e", "mtu", "up", "dev", "via", "default", "table", "tuntap", "mode", "tap", "\t", "\r",
    };
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const int len = int(rng() % 64);
        for (int k = 0; k < len; ++k) {
            if (i % 2 == 0)
                text += char(rng() % 256);
            else
                text += pieces[rng() % pieces.size()];
        }
        const Parsed p = parse_ip_script(text, "g.sh");
        const Parsed q = parse_ip_command(text, SourceLoc{"g", 1, 1});
        CHECK((p.ok() || !p.errors.empty()));
        for (const auto& e : p.errors) CHECK(e.loc.line >= 1);
        CHECK((q.ok() || !q.errors.empty()));
    }
    CHECK(script("").ok());
    CHECK(script(std::string(1, '\0')).errors.size() == 1);
    CHECK(script("\\").errors.size() == 1);
}

TEST_CASE("sleep: seconds, suffixes and sums, errors", "[ip_script]") {
    CHECK(as<Sleep>("sleep 3") == Sleep{"", 3});
    CHECK(as<Sleep>("sleep 0.5") == Sleep{"", 0.5});
    CHECK(as<Sleep>("sleep 1m 2.5s") == Sleep{"", 62.5});
    CHECK(as<Sleep>("ip netns exec a sleep 1") == Sleep{"a", 1});
    CHECK(error_of("sleep\n") == "t.sh:1:1: 'sleep' needs a time (seconds, e.g. 'sleep 2')");
    CHECK(error_of("sleep x\n") == "t.sh:1:7: invalid time interval 'x' for 'sleep'");
    CHECK(error_of("sleep -1\n") == "t.sh:1:7: invalid time interval '-1' for 'sleep'");
    CHECK(error_of("sleep 2d\n") == "t.sh:1:1: 'sleep' longer than a day is not supported");
}

TEST_CASE("stream_ip_script hands over parse_ip_script's edits in order, with the same errors", "[ip_script]") {
    std::mt19937 rng(20250101);
    static const std::vector<std::string> lines = {
        "ip netns add ns0\n", "ip -n ns0 link add v0 type veth peer name v1\n", "ip lnk add x\n",
        "ping -c 1 10.0.0.1 || true\n", "ip link set v0 mtu abc\n", "ip netns add $X\n", "echo 1 > /tmp/x\n",
        "ip link add 'v2 type veth\n", "ip route add 10.0.0.0/8 \\\n dev v0\n", "ip link | cat\n", "; ;\n",
        "sudo ip netns add ns1 && ip netns add ns2\n", "ip addr add 10.0.0.1/24 dev v0 # c\n"};
    for (int i = 0; i < 500; ++i) {
        std::string text;
        for (int k = int(rng() % 12); k > 0; --k) text += lines[rng() % lines.size()];
        const Parsed whole = parse_ip_script(text, "s.sh");
        std::vector<Edit> streamed;
        const Diagnostics errors = stream_ip_script(text, "s.sh", [&](Edit&& e) { streamed.push_back(std::move(e)); });
        INFO(text);
        REQUIRE(streamed.size() == whole.topology.edits.size());
        for (size_t k = 0; k < streamed.size(); ++k) {
            CHECK(streamed[k].op == whole.topology.edits[k].op);
            CHECK(streamed[k].loc == whole.topology.edits[k].loc);
            CHECK(streamed[k].text == whole.topology.edits[k].text);
        }
        REQUIRE(errors.size() == whole.errors.size());
        for (size_t k = 0; k < errors.size(); ++k) CHECK(errors[k].str() == whole.errors[k].str());
    }
}

TEST_CASE("errors of every kind come out by place, whichever stage found them", "[ip_script]") {
    // Quotes and expansions (lexer), operators (splitter) and words (command parsers)
    // are found in one pass over the text; they are reported in line order.
    const Parsed p = script("ip link | cat\nip lnk add x\nip netns add $X\nip link set v0 mtu abc\n; ;\n");
    REQUIRE(p.errors.size() == 6);
    CHECK(p.errors[0].str() == "t.sh:1:9: pipes ('|') are not supported");
    CHECK(p.errors[1].str() == "t.sh:2:4: unknown command 'ip lnk'");
    CHECK(p.errors[2].str() == "t.sh:3:14: shell expansion '$' is not supported (no variables or substitutions)");
    CHECK(p.errors[3].str() == "t.sh:4:20: 'mtu' needs a number, got 'abc'");
    CHECK(p.errors[4].str() == "t.sh:5:1: unexpected ';'");
    CHECK(p.errors[5].str() == "t.sh:5:3: unexpected ';'");
}
