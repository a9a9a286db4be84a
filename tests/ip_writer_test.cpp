// Edits as shell commands, and back: parse_ip_command(format_command(op)) == op.
#include <catch2/catch.hpp>

#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"

using namespace vethlab;

namespace {

RouteSpec spec(Prefix dst) {
    RouteSpec s;
    s.dst = dst;
    return s;
}

Ping ping(std::string ns, Ipv4 dst) {
    Ping p;
    p.ns = std::move(ns);
    p.dst = dst;
    return p;
}

// Hand-made edits of every kind and most field combinations.
std::vector<EditOp> sample_edits() {
    const Mac m1({2, 0, 0, 0, 0, 1});
    const Mac m2({0x0a, 0xbc, 0xde, 0xf0, 0x12, 0x34});
    std::vector<EditOp> ops = {
        NetnsAdd{"ns0"}, NetnsAdd{"my ns"}, NetnsDel{"ns1"},
        LinkAdd{"", "veth0", LinkKind::veth, {}, {}, {}, {}, "veth1", {}, {}, {}},
        LinkAdd{"", "veth0", LinkKind::veth, "ns0", {}, {}, {}, "veth1", "ns1", {}, {}},
        LinkAdd{"h", "v0", LinkKind::veth, "a", 1400u, m1, true, "v1", "b", 9000u, m2},
        LinkAdd{"", "v0", LinkKind::veth, {}, {}, {}, false, "v1", {}, {}, {}},
        LinkAdd{"ns0", "d0", LinkKind::dummy, {}, 1280u, {}, {}, "", {}, {}, {}},
        LinkAdd{"", "tap0", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}},
        LinkAdd{"ns2", "tap1", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}},
        LinkAdd{"", "up", LinkKind::veth, {}, {}, {}, {}, "name", {}, {}, {}},
        LinkDel{"", "veth0"}, LinkDel{"ns0", "veth0"}, LinkDel{"", "a"},
        LinkSet{"ns0", "veth0", {}, {}, {}, {}, true},
        LinkSet{"", "veth0", "ns0", {}, {}, {}, {}},
        LinkSet{"", "veth0", "ns0", "eth0", m2, 1400u, false},
        LinkSet{"x", "up", {}, {}, {}, {}, true},
        LinkSet{"x", "t", {}, "l", {}, 1500u, {}},
        LinkSet{"", "v'1", {}, "a$b;c", {}, {}, true},
        AddrAdd{"ns0", "tap0", IfAddr(Ipv4(10, 0, 0, 1), 24)},
        AddrAdd{"", "lo", IfAddr(Ipv4(127, 0, 0, 2), 8)},
        AddrAdd{"n", "veth0", IfAddr(Ipv4(192, 168, 1, 7), 32)},
        AddrAdd{"n", "veth0", IfAddr(Ipv4(10, 1, 0, 1), 24), Ipv4(10, 1, 0, 7)},
        Sleep{"", 2}, Sleep{"ns0", 0.25},
        AddrDel{"ns0", "tap0", IfAddr(Ipv4(10, 0, 0, 1), 24)},
        SysctlSet{"", "net.ipv4.ip_forward", "1"},
        SysctlSet{"r", "net.ipv4.conf.all.rp_filter", "2"},
        SysctlSet{"r", "net.ipv4.conf.eth0.100.forwarding", "1"},
        SysctlSet{"r", "net.ipv4.ip_local_port_range", "1024 65000"},
        Ping{ping("ns0", Ipv4(10, 0, 0, 2))},
        Show{"", ShowWhat::route_n, false, {}, {}}, Show{"ns0", ShowWhat::route_n, false, {}, {}},
        Show{"ns0", ShowWhat::ip_route, false, {}, {}}, Show{"ns0", ShowWhat::ip_route, true, kTableLocal, "veth0"},
        Show{"", ShowWhat::ip_route, false, 100u, {}}, Show{"a", ShowWhat::ip_addr, true, {}, {}},
        Show{"a", ShowWhat::ip_addr, false, {}, "veth0"}, Show{"b", ShowWhat::ip_link, false, {}, "up"},
        Show{"", ShowWhat::ip_link, true, {}, {}}, Show{"c", ShowWhat::ip_neigh, false, {}, "veth0"},
        Show{"c", ShowWhat::ip_neigh, false, {}, {}},
    };
    Ping full = ping("", Ipv4(10, 0, 0, 9));
    full.count = 3;
    full.interval = 0.2;
    full.timeout = 1.5;
    full.deadline = 10;
    full.iface = "veth0";
    full.ttl = 1;
    full.quiet = true;
    ops.push_back(full);
    full.interval = 1e-05;
    ops.push_back(full);
    return ops;
}

std::vector<EditOp> sample_routes() {
    std::vector<EditOp> ops;
    RouteSpec a = spec(Prefix(Ipv4(10, 0, 0, 0), 24));
    a.via = Ipv4();
    a.dev = "veth0";
    for (RouteOp op : {RouteOp::add, RouteOp::change, RouteOp::replace, RouteOp::append, RouteOp::del})
        ops.push_back(RouteEdit{"ns0", op, a});
    RouteSpec b = spec(Prefix());
    b.via = Ipv4(10, 0, 1, 1);
    b.metric = 100;
    b.table = 200;
    b.src = Ipv4(10, 0, 1, 2);
    b.scope = RouteScope::universe;
    b.proto = RouteProto::static_;
    b.tos = 0x1c;
    b.onlink = true;
    ops.push_back(RouteEdit{"", RouteOp::add, b});
    for (RouteType t : {RouteType::unicast, RouteType::local, RouteType::broadcast, RouteType::blackhole,
                        RouteType::unreachable, RouteType::prohibit}) {
        RouteSpec c = spec(Prefix(Ipv4(10, 9, 0, 0), 16));
        c.type = t;
        c.type_given = true;
        ops.push_back(RouteEdit{"x", RouteOp::add, c});
    }
    RouteSpec d = spec(Prefix(Ipv4(10, 0, 0, 5), 32));
    d.dev = "lo";
    d.table = kTableLocal;
    d.scope = RouteScope::host;
    d.proto = RouteProto::kernel;
    ops.push_back(RouteEdit{"", RouteOp::replace, d});
    d.table = kTableMain;
    d.scope = RouteScope::link;
    d.proto = RouteProto::boot;
    ops.push_back(RouteEdit{"", RouteOp::del, d});
    return ops;
}

}  // namespace

TEST_CASE("format_command writes the commands of the seed article", "[ip_writer]") {
    CHECK(format_command(NetnsAdd{"ns0"}) == "ip netns add ns0");
    CHECK(format_command(LinkSet{"ns0", "veth0", {}, {}, {}, {}, true}) == "ip -n ns0 link set veth0 up");
    CHECK(format_command(LinkAdd{"", "veth0", LinkKind::veth, "ns0", {}, {}, {}, "veth1", "ns1", {}, {}}) ==
          "ip link add veth0 netns ns0 type veth peer name veth1 netns ns1");
    CHECK(format_command(LinkAdd{"", "tap0", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}}) ==
          "ip tuntap add dev tap0 mode tap");
    Ping p = ping("ns0", Ipv4(10, 0, 0, 2));
    p.count = 3;
    CHECK(format_command(p) == "ip netns exec ns0 ping -c 3 10.0.0.2");
    CHECK(format_command(Show{"ns0", ShowWhat::route_n, false, {}, {}}) == "ip netns exec ns0 route -n");
    RouteSpec r = spec(Prefix(Ipv4(10, 0, 0, 0), 24));
    r.via = Ipv4();
    r.dev = "veth0";
    CHECK(format_command(RouteEdit{"ns0", RouteOp::change, r}) ==
          "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0");
    CHECK(format_command(SysctlSet{"r", "net.ipv4.ip_forward", "1"}) ==
          "ip netns exec r sysctl -w net.ipv4.ip_forward=1");
    CHECK(format_command(AddrAdd{"ns0", "tap0", IfAddr(Ipv4(10, 0, 0, 1), 24)}) ==
          "ip -n ns0 addr add 10.0.0.1/24 dev tap0");
}

TEST_CASE("format_command quotes and disambiguates names", "[ip_writer]") {
    CHECK(format_command(LinkSet{"", "up", {}, {}, {}, {}, true}) == "ip link set dev up up");
    CHECK(format_command(LinkSet{"", "v'1", {}, {}, {}, {}, true}) == "ip link set 'v'\\''1' up");
    CHECK(format_command(NetnsAdd{"my ns"}) == "ip netns add 'my ns'");
    CHECK(format_command(LinkDel{"", "a"}) == "ip link del dev a");
    CHECK(format_command(SysctlSet{"", "net.ipv4.conf.eth0.100.forwarding", "1"}) ==
          "sysctl -w net/ipv4/conf/eth0.100/forwarding=1");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("10.0.0.1/24") == "10.0.0.1/24");
}

TEST_CASE("parse_ip_command(format_command(op)) gives op back for every kind", "[ip_writer]") {
    std::vector<EditOp> ops = sample_edits();
    for (auto& r : sample_routes()) ops.push_back(r);
    size_t kinds = 0;
    for (size_t k = 0; k < std::variant_size_v<EditOp>; ++k)
        kinds += std::any_of(ops.begin(), ops.end(), [&](const EditOp& op) { return op.index() == k; });
    CHECK(kinds == std::variant_size_v<EditOp>);
    for (const EditOp& op : ops) {
        const std::string line = format_command(op);
        INFO(line);
        const Parsed p = parse_ip_command(line, SourceLoc{"rt", 1, 1});
        for (const auto& e : p.errors) INFO(e.str());
        REQUIRE(p.ok());
        REQUIRE(p.topology.edits.size() == 1);
        CHECK(p.topology.edits[0].op == op);
    }
}

TEST_CASE("a tap with more than a name needs a second command", "[ip_writer]") {
    const LinkAdd tap{"ns0", "tap0", LinkKind::tap, "ns1", 1400u, {}, true, "", {}, {}, {}};
    const std::string line = format_command(tap);
    CHECK(line == "ip -n ns0 tuntap add dev tap0 mode tap && ip -n ns0 link set tap0 netns ns1 mtu 1400 up");
    const Parsed p = parse_ip_command(line, SourceLoc{"rt", 1, 1});
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 2);
    CHECK(p.topology.edits[0].op == EditOp{LinkAdd{"ns0", "tap0", LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}}});
    CHECK(p.topology.edits[1].op == EditOp{LinkSet{"ns0", "tap0", "ns1", {}, {}, 1400u, true}});
}

TEST_CASE("write_ip_script writes a runnable script that parses back", "[ip_writer]") {
    std::vector<Edit> edits;
    for (auto& op : sample_edits()) edits.push_back(Edit{op, {}, ""});
    const std::string text = write_ip_script(edits, "made by vethlab\n\nfrom seed.sh");
    CHECK(text.starts_with("#!/bin/sh\n# made by vethlab\n#\n# from seed.sh\nset -e\nip netns add ns0\n"));
    CHECK(text.find("ip netns exec ns0 ping 10.0.0.2 || true\n") != std::string::npos);
    CHECK(text.find("route -n || true\n") != std::string::npos);
    const Parsed p = parse_ip_script(text, "out.sh");
    for (const auto& e : p.errors) INFO(e.str());
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == edits.size());
    for (size_t i = 0; i < edits.size(); ++i) {
        INFO(p.topology.edits[i].text);
        CHECK(p.topology.edits[i].op == edits[i].op);
        CHECK(p.topology.edits[i].loc.line == int(i) + 6);
    }
    CHECK(write_ip_script({}, "") == "#!/bin/sh\nset -e\n");
}
