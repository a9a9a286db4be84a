// The configuration plane's kernel rules, edit by edit (see KERNEL-NOTES.md).
#include <catch2/catch.hpp>

#include "model/netstate.hpp"
#include "netstate_support.hpp"
#include "sim/route_printer.hpp"

using namespace vethlab;
using testing::A;
using testing::I;
using testing::ok;
using testing::P;

namespace {


RouteEdit route(const char* ns, RouteOp op, const char* dst, std::optional<const char*> via,
                std::optional<const char*> dev) {
    RouteEdit e;
    e.ns = ns;
    e.op = op;
    e.route.dst = P(dst);
    if (via) e.route.via = I(*via);
    if (dev) e.route.dev = *dev;
    return e;
}

// The seed article: tap0/tap1 with addresses, a veth pair created in the host and moved.
NetState seed_before_fix() {
    NetState st;
    ok(st, NetnsAdd{"ns0"});
    ok(st, NetnsAdd{"ns1"});
    for (auto [ns, tap, addr] : {std::tuple{"ns0", "tap0", "10.0.0.1/24"}, std::tuple{"ns1", "tap1", "10.0.0.2/24"}}) {
        ok(st, LinkAdd{.ns = "", .name = tap, .kind = LinkKind::tap});
        ok(st, LinkSet{.ns = "", .name = tap, .netns = ns});
        ok(st, AddrAdd{ns, tap, A(addr)});
        ok(st, LinkSet{.ns = ns, .name = tap, .up = true});
    }
    ok(st, LinkAdd{.ns = "", .name = "veth0", .kind = LinkKind::veth, .peer = "veth1"});
    ok(st, LinkSet{.ns = "", .name = "veth0", .netns = "ns0"});
    ok(st, LinkSet{.ns = "", .name = "veth1", .netns = "ns1"});
    ok(st, LinkSet{.ns = "ns0", .name = "veth0", .up = true});
    ok(st, LinkSet{.ns = "ns1", .name = "veth1", .up = true});
    return st;
}

}  // namespace

TEST_CASE("seed: route -n before and after ip route change, as in the article", "[netstate]") {
    NetState st = seed_before_fix();
    const char* header =
        "Kernel IP routing table\n"
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n";
    CHECK(sim::format_route_n(*st.ns("ns0")) ==
          std::string(header) + "10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 tap0\n");
    ok(st, route("ns0", RouteOp::change, "10.0.0.0/24", "0.0.0.0", "veth0"));
    CHECK(sim::format_route_n(*st.ns("ns0")) ==
          std::string(header) + "10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 veth0\n");
    // The change replaced the whole entry: proto boot, scope global, no src.
    CHECK(sim::format_ip_route(st, *st.ns("ns0")) == "10.0.0.0/24 dev veth0 \n");
}

TEST_CASE("the host namespace is left empty by the seed's moves", "[netstate]") {
    NetState st = seed_before_fix();
    const Namespace& host = *st.ns("");
    REQUIRE(host.links.size() == 1);
    CHECK(host.links[0].name == "lo");
}

TEST_CASE("tap without a reader: routes stay, flagged linkdown", "[netstate]") {
    NetState st = seed_before_fix();
    CHECK(sim::format_ip_route(st, *st.ns("ns1")) ==
          "10.0.0.0/24 dev tap1 proto kernel scope link src 10.0.0.2 linkdown \n");
    const Namespace& ns1 = *st.ns("ns1");
    CHECK_FALSE(st.carrier(ns1, *ns1.link("tap1")));
    CHECK(st.carrier(ns1, *ns1.link("veth1")));
}

TEST_CASE("address add: local route always, prefix and broadcast only while up", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, LinkAdd{.ns = "a", .name = "d0", .kind = LinkKind::dummy});
    ok(st, AddrAdd{"a", "d0", A("10.1.2.3/24")});
    CHECK(sim::format_ip_route(st, *st.ns("a"), kTableLocal) == "local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3 \n");
    CHECK(sim::format_ip_route(st, *st.ns("a")).empty());
    ok(st, LinkSet{.ns = "a", .name = "d0", .up = true});
    CHECK(sim::format_ip_route(st, *st.ns("a")) == "10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n");
    CHECK(sim::format_ip_route(st, *st.ns("a"), kTableLocal) ==
          "local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3 \n"
          "broadcast 10.1.2.255 dev d0 proto kernel scope link src 10.1.2.3 \n");
    SECTION("admin down removes prefix and broadcast, keeps local") {
        ok(st, LinkSet{.ns = "a", .name = "d0", .up = false});
        CHECK(sim::format_ip_route(st, *st.ns("a")).empty());
        CHECK(sim::format_ip_route(st, *st.ns("a"), kTableLocal) ==
              "local 10.1.2.3 dev d0 proto kernel scope host src 10.1.2.3 \n");
    }
    SECTION("deleting the last address removes every route on the device") {
        ok(st, route("a", RouteOp::add, "10.9.0.0/16", "10.1.2.1", std::nullopt));
        ok(st, AddrDel{"a", "d0", A("10.1.2.3/24")});
        CHECK(st.ns("a")->routes.empty());
    }
    SECTION("/31 and /32 get no broadcast route") {
        ok(st, AddrAdd{"a", "d0", A("10.5.0.0/31")});
        ok(st, AddrAdd{"a", "d0", A("10.6.0.1/32")});
        CHECK(sim::format_ip_route(st, *st.ns("a")) ==
              "10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n"
              "10.5.0.0/31 dev d0 proto kernel scope link src 10.5.0.0 \n");
    }
}

TEST_CASE("lo: down with no address, up brings 127.0.0.1/8 and its routes", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    CHECK(st.ns("a")->link("lo")->addrs.empty());
    CHECK(st.ns("a")->routes.empty());
    ok(st, LinkSet{.ns = "a", .name = "lo", .up = true});
    CHECK(sim::format_ip_route(st, *st.ns("a"), kTableLocal) ==
          "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \n"
          "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n"
          "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n");
}

TEST_CASE("route errors use the kernel's words", "[netstate]") {
    NetState st = seed_before_fix();
    CHECK(st.apply(route("ns0", RouteOp::add, "10.0.0.0/24", std::nullopt, "veth0")) ==
          "RTNETLINK answers: File exists");
    CHECK(st.apply(route("ns0", RouteOp::change, "10.7.0.0/24", std::nullopt, "veth0")) ==
          "RTNETLINK answers: No such file or directory");
    CHECK(st.apply(route("ns0", RouteOp::del, "10.7.0.0/24", std::nullopt, std::nullopt)) ==
          "RTNETLINK answers: No such process");
    CHECK(st.apply(route("ns0", RouteOp::add, "10.8.0.0/16", "192.168.1.1", std::nullopt)) ==
          "Error: Nexthop has invalid gateway.");
    CHECK(st.apply(route("ns0", RouteOp::add, "10.8.0.0/16", "10.0.0.2", "veth0")) ==
          "Error: Nexthop has invalid gateway.");  // 10.0.0.0/24 is reached through tap0
    CHECK(st.apply(route("ns0", RouteOp::add, "10.8.0.0/16", std::nullopt, "nope")) == "Cannot find device \"nope\"");
    ok(st, LinkSet{.ns = "ns0", .name = "veth0", .up = false});
    CHECK(st.apply(route("ns0", RouteOp::add, "10.8.0.0/16", std::nullopt, "veth0")) ==
          "Error: Device for nexthop is not up.");
    CHECK(st.apply(route("nsX", RouteOp::add, "10.8.0.0/16", std::nullopt, "veth0")) ==
          "Cannot open network namespace \"nsX\": No such file or directory");
}

TEST_CASE("route add via an on-link gateway picks the device, replace creates, del matches", "[netstate]") {
    NetState st = seed_before_fix();
    ok(st, route("ns0", RouteOp::add, "default", "10.0.0.2", std::nullopt));
    CHECK(sim::format_ip_route(st, *st.ns("ns0")) ==
          "default via 10.0.0.2 dev tap0 linkdown \n"
          "10.0.0.0/24 dev tap0 proto kernel scope link src 10.0.0.1 linkdown \n");
    ok(st, route("ns0", RouteOp::replace, "10.3.0.0/16", std::nullopt, "veth0"));
    ok(st, route("ns0", RouteOp::del, "default", std::nullopt, std::nullopt));
    CHECK(sim::format_ip_route(st, *st.ns("ns0")) ==
          "10.0.0.0/24 dev tap0 proto kernel scope link src 10.0.0.1 linkdown \n"
          "10.3.0.0/16 dev veth0 scope link \n");
    SECTION("admin down of the device flushes user routes through it") {
        ok(st, LinkSet{.ns = "ns0", .name = "veth0", .up = false});
        CHECK(sim::format_ip_route(st, *st.ns("ns0")) ==
              "10.0.0.0/24 dev tap0 proto kernel scope link src 10.0.0.1 linkdown \n");
    }
}

TEST_CASE("metric is part of the key, lookup prefers longest prefix then lowest metric", "[netstate]") {
    NetState st = seed_before_fix();
    auto r = route("ns0", RouteOp::add, "10.0.0.0/24", std::nullopt, "veth0");
    r.route.metric = 10;
    ok(st, r);
    const Route* best = st.lookup(*st.ns("ns0"), I("10.0.0.2"));
    REQUIRE(best);
    CHECK(best->metric == 0);
    CHECK(st.ns("ns0")->ifname(best->oif) == "tap0");
    CHECK(st.lookup(*st.ns("ns0"), I("10.0.0.1"))->type == RouteType::local);
    CHECK(st.lookup(*st.ns("ns0"), I("8.8.8.8")) == nullptr);
}

TEST_CASE("blackhole and unreachable routes take no device", "[netstate]") {
    NetState st = seed_before_fix();
    auto r = route("ns0", RouteOp::add, "10.9.0.0/16", std::nullopt, std::nullopt);
    r.route.type = RouteType::blackhole;
    ok(st, r);
    r.route.dev = "veth0";
    r.route.dst = P("10.10.0.0/16");
    CHECK(st.apply(r) == "Error: Gateway, device and multipath can not be specified for this route type.");
    CHECK(sim::format_ip_route(st, *st.ns("ns0")).find("blackhole 10.9.0.0/16 \n") != std::string::npos);
}

TEST_CASE("links: names, moves, deletion and carrier", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, NetnsAdd{"b"});
    ok(st, LinkAdd{.ns = "", .name = "va", .kind = LinkKind::veth, .netns = "a", .peer = "vb", .peer_netns = "b"});
    CHECK(st.apply(LinkAdd{.ns = "a", .name = "va", .kind = LinkKind::dummy}) == "RTNETLINK answers: File exists");
    CHECK(st.apply(LinkSet{.ns = "a", .name = "nope", .up = true}) == "Cannot find device \"nope\"");
    CHECK(st.apply(LinkSet{.ns = "a", .name = "va", .netns = "zz"}) ==
          "Error: argument \"zz\" is wrong: Invalid \"netns\" value");
    CHECK(st.apply(NetnsAdd{"a"}) == "Cannot create namespace file \"/run/netns/a\": File exists");
    CHECK(st.apply(LinkDel{"a", "lo"}) == "RTNETLINK answers: Operation not supported");
    CHECK(st.apply(LinkSet{.ns = "a", .name = "va", .mtu = 60}) == "Error: mtu less than device minimum.");

    ok(st, LinkSet{.ns = "a", .name = "va", .up = true});
    CHECK_FALSE(st.carrier(*st.ns("a"), *st.ns("a")->link("va")));  // peer still down
    ok(st, LinkSet{.ns = "b", .name = "vb", .up = true});
    CHECK(st.carrier(*st.ns("a"), *st.ns("a")->link("va")));
    ok(st, LinkSet{.ns = "a", .name = "va", .new_name = "va2"});  // 6.18 renames devices that are up
    ok(st, LinkSet{.ns = "a", .name = "va2", .new_name = "va"});
    CHECK(st.apply(LinkSet{.ns = "a", .name = "lo", .netns = "b"}) == "Error: The interface netns is immutable.");

    SECTION("moving an end drops its addresses and brings it down") {
        ok(st, AddrAdd{"a", "va", A("10.0.0.1/30")});
        ok(st, NetnsAdd{"c"});
        ok(st, LinkSet{.ns = "a", .name = "va", .netns = "c"});
        const Link* moved = st.ns("c")->link("va");
        REQUIRE(moved);
        CHECK(moved->addrs.empty());
        CHECK_FALSE(moved->admin_up);
        CHECK(st.ns("a")->routes.empty());
        auto peer = st.peer(*st.ns("b"), *st.ns("b")->link("vb"));
        REQUIRE(peer);
        CHECK(peer->first->name == "c");
    }
    SECTION("deleting one end deletes the pair") {
        ok(st, LinkDel{"b", "vb"});
        CHECK(st.ns("a")->link("va") == nullptr);
    }
    SECTION("deleting a namespace deletes the peer in the other") {
        ok(st, NetnsDel{"a"});
        CHECK(st.ns("b")->link("vb") == nullptr);
        CHECK(st.ns("a") == nullptr);
    }
}

TEST_CASE("addresses: duplicates, secondaries, deletion errors", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, LinkAdd{.ns = "a", .name = "d", .kind = LinkKind::dummy, .up = true});
    ok(st, AddrAdd{"a", "d", A("10.0.0.1/24")});
    CHECK(st.apply(AddrAdd{"a", "d", A("10.0.0.1/24")}) == "Error: ipv4: Address already assigned.");
    ok(st, AddrAdd{"a", "d", A("10.0.0.1/16")});  // another mask: allowed
    ok(st, AddrAdd{"a", "d", A("10.0.0.2/24")});
    CHECK(st.ns("a")->link("d")->addrs.back().secondary);
    CHECK(st.apply(AddrDel{"a", "d", A("10.0.0.9/24")}) == "Error: ipv4: Address not found.");
    CHECK(st.apply(AddrAdd{"a", "zz", A("10.0.0.9/24")}) == "Cannot find device \"zz\"");
}

TEST_CASE("sysctls: ranges, unknown keys, ip_forward reaches every device", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"r"});
    ok(st, LinkAdd{.ns = "r", .name = "d", .kind = LinkKind::dummy});
    const Namespace& r = *st.ns("r");
    CHECK(st.sysctl_value(r, "net.ipv4.ip_forward") == "0");
    CHECK(st.sysctl_value(r, "net.ipv4.neigh.d.mcast_solicit") == "3");
    ok(st, SysctlSet{"r", "net.ipv4.ip_forward", "1"});
    CHECK(st.sysctl_value(r, "net.ipv4.conf.d.forwarding") == "1");
    CHECK(st.sysctl_value(r, "net.ipv4.conf.all.forwarding") == "1");
    ok(st, SysctlSet{"r", "net.ipv4.conf.all.rp_filter", "7"});  // proc_dointvec: any int
    CHECK(st.apply(SysctlSet{"r", "net.ipv4.conf.all.rp_filter", "x"}) ==
          "sysctl: setting key \"net.ipv4.conf.all.rp_filter\": Invalid argument");
    CHECK(st.apply(SysctlSet{"r", "net.ipv4.neigh.default.mcast_solicit", "3"}) ==
          "sysctl: cannot stat /proc/sys/net/ipv4/neigh/default/mcast_solicit: No such file or directory");
    ok(st, SysctlSet{"r", "net.ipv4.neigh.d.mcast_solicit", "300"});
    CHECK(st.apply(SysctlSet{"r", "net.ipv4.conf.nope.rp_filter", "1"}) ==
          "sysctl: cannot stat /proc/sys/net/ipv4/conf/nope/rp_filter: No such file or directory");
    ok(st, SysctlSet{"r", "net.ipv4.conf.default.rp_filter", "2"});
    ok(st, LinkAdd{.ns = "r", .name = "d2", .kind = LinkKind::dummy});
    CHECK(st.sysctl_value(r, "net.ipv4.conf.d2.rp_filter") == "2");  // taken from default at creation
    CHECK(st.sysctl_value(r, "net.ipv4.conf.d.rp_filter") == "2");   // and existing ones follow
}

TEST_CASE("sysctls: devices follow conf.default until their own knob is written, even refused", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"r"});
    for (const char* d : {"a", "b", "c"}) ok(st, LinkAdd{.ns = "r", .name = d, .kind = LinkKind::dummy});
    const Namespace& r = *st.ns("r");
    ok(st, SysctlSet{"r", "net.ipv4.conf.a.arp_ignore", "1"});
    CHECK(st.apply(SysctlSet{"r", "net.ipv4.conf.b.arp_ignore", "x"}));  // refused, yet b's own now
    ok(st, SysctlSet{"r", "net.ipv4.conf.default.arp_ignore", "2"});
    CHECK(st.sysctl_value(r, "net.ipv4.conf.a.arp_ignore") == "1");
    CHECK(st.sysctl_value(r, "net.ipv4.conf.b.arp_ignore") == "0");
    CHECK(st.sysctl_value(r, "net.ipv4.conf.c.arp_ignore") == "2");
    CHECK(st.sysctl_value(r, "net.ipv4.conf.lo.arp_ignore") == "2");
    CHECK(!conf_own(*r.link("c"), "arp_ignore"));
    CHECK(conf_own(*r.link("b"), "arp_ignore"));
    // forwarding, route_localnet and promote_secondaries have other handlers: no copy.
    ok(st, SysctlSet{"r", "net.ipv4.conf.default.route_localnet", "1"});
    ok(st, SysctlSet{"r", "net.ipv4.conf.default.forwarding", "1"});
    CHECK(st.sysctl_value(r, "net.ipv4.conf.c.route_localnet") == "0");
    CHECK(st.sysctl_value(r, "net.ipv4.conf.c.forwarding") == "0");
    CHECK(conf_own(*r.link("c"), "route_localnet"));
}

TEST_CASE("sysctls: each handler's ranges, bases and rounding (kernel_sysctl_test checks them all)", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"r"});
    ok(st, LinkAdd{.ns = "r", .name = "d", .kind = LinkKind::dummy});
    const Namespace& r = *st.ns("r");
    // What is stored for a write, or "refused".
    auto set = [&](const std::string& key, const std::string& value) {
        if (st.apply(SysctlSet{"r", key, value})) return std::string("refused");
        return st.sysctl_value(r, key);
    };
    // proc_dointvec: strtoul with base 0, one '-', an int.
    CHECK(set("net.ipv4.icmp_ratemask", "0x1f") == "31");
    CHECK(set("net.ipv4.icmp_ratemask", "0X10") == "16");
    CHECK(set("net.ipv4.icmp_ratemask", "010") == "8");
    CHECK(set("net.ipv4.icmp_ratemask", "08") == "refused");  // octal: the 8 is left over
    CHECK(set("net.ipv4.icmp_ratemask", "0x") == "refused");
    CHECK(set("net.ipv4.icmp_ratemask", "+5") == "refused");
    CHECK(set("net.ipv4.icmp_ratemask", "-0") == "0");
    CHECK(set("net.ipv4.icmp_ratemask", " 5 6") == "5");  // one value: the rest is not read
    CHECK(set("net.ipv4.icmp_ratemask", "5x") == "refused");
    CHECK(set("net.ipv4.icmp_ratemask", "-2147483648") == "-2147483648");
    CHECK(set("net.ipv4.icmp_ratemask", "-2147483649") == "refused");
    CHECK(set("net.ipv4.icmp_ratemask", "2147483648") == "refused");
    CHECK(set("net.ipv4.icmp_ratemask", "00000000000000000007") == "7");     // 20 characters
    CHECK(set("net.ipv4.icmp_ratemask", "000000000000000000007") == "refused");  // 21
    // proc_dointvec_minmax.
    CHECK(set("net.ipv4.ip_default_ttl", "0") == "refused");
    CHECK(set("net.ipv4.ip_default_ttl", "255") == "255");
    CHECK(set("net.ipv4.ip_default_ttl", "256") == "refused");
    CHECK(set("net.ipv4.icmp_msgs_per_sec", "-1") == "refused");
    CHECK(set("net.ipv4.icmp_msgs_burst", "0") == "0");
    CHECK(set("net.ipv4.neigh.d.ucast_solicit", "-1") == "refused");
    // proc_dou8vec_minmax: no sign, not even "-0".
    CHECK(set("net.ipv4.icmp_echo_ignore_all", "2") == "refused");
    CHECK(set("net.ipv4.icmp_echo_ignore_all", "-0") == "refused");
    CHECK(set("net.ipv4.icmp_echo_ignore_all", "0x1") == "1");
    // proc_dointvec_ms_jiffies: up to whole jiffies (4 ms), cut to 32 bits first.
    CHECK(set("net.ipv4.icmp_ratelimit", "1") == "4");
    CHECK(set("net.ipv4.icmp_ratelimit", "1001") == "1004");
    CHECK(set("net.ipv4.icmp_ratelimit", "-1") == "refused");
    CHECK(set("net.ipv4.icmp_ratelimit", "2147483647") == "2147483648");
    CHECK(set("net.ipv4.icmp_ratelimit", "2147483648") == "refused");
    CHECK(set("net.ipv4.icmp_ratelimit", "4294967296") == "0");
    CHECK(set("net.ipv4.icmp_ratelimit", "-4294967296") == "0");
    CHECK(set("net.ipv4.neigh.d.retrans_time_ms", "99999999999") == "1215752192");
    // proc_dointvec_jiffies: seconds, at most INT_MAX / HZ either way.
    CHECK(set("net.ipv4.neigh.d.delay_first_probe_time", "-8589934") == "-8589934");
    CHECK(set("net.ipv4.neigh.d.delay_first_probe_time", "8589935") == "refused");
}
