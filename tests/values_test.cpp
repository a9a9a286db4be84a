// Addresses, prefixes, MACs, names and route words: parse, print, and the errors.
#include <catch2/catch.hpp>

#include "model/ipv4.hpp"
#include "model/mac.hpp"
#include "model/names.hpp"
#include "model/route.hpp"

using namespace vethlab;

TEST_CASE("ipv4: dotted quads only", "[values]") {
    CHECK(Ipv4::parse("10.0.0.1").value() == Ipv4(10, 0, 0, 1));
    CHECK(Ipv4::parse("255.255.255.255").value().is_limited_broadcast());
    CHECK(Ipv4::parse("10.0.0.300").error() == "invalid IPv4 address '10.0.0.300': 300 is not an octet (0..255)");
    for (const char* bad : {"", "10.0.0", "10.0.0.1.2", "a.b.c.d", "10..0.1", "10.0.0.1 ", "1234.0.0.1", "-1.0.0.0"}) {
        INFO(bad);
        CHECK_FALSE(Ipv4::parse(bad));
    }
    CHECK(Ipv4(192, 168, 1, 20).str() == "192.168.1.20");
    CHECK(Ipv4(127, 0, 0, 1).is_loopback());
}

TEST_CASE("prefix: network with host bits zero, as the kernel wants", "[values]") {
    CHECK(Prefix::parse("10.0.0.0/24").value().str() == "10.0.0.0/24");
    CHECK(Prefix::parse("default").value().is_default());
    CHECK(Prefix::parse("10.0.0.7").value().len() == 32);
    CHECK(Prefix::parse("10.0.0.7").value().str() == "10.0.0.7");
    CHECK(Prefix::parse("10.0.0.0/33").error() == "invalid prefix length in '10.0.0.0/33' (0..32)");
    CHECK(Prefix::parse("10.0.0.1/24").error() ==
          "'10.0.0.1/24' has host bits set: Invalid prefix for given prefix length.");
    CHECK_FALSE(Prefix::parse("10.0.0.0/"));
    CHECK_FALSE(Prefix::parse("10.0.0.0/x"));
    const Prefix p = Prefix::parse("10.1.0.0/16").value();
    CHECK(p.contains(Ipv4(10, 1, 200, 3)));
    CHECK_FALSE(p.contains(Ipv4(10, 2, 0, 1)));
    CHECK(p.netmask().str() == "255.255.0.0");
    CHECK(p.last().str() == "10.1.255.255");
    CHECK(p.overlaps(Prefix::parse("10.1.2.0/24").value()));
    CHECK_FALSE(p.overlaps(Prefix::parse("10.2.0.0/16").value()));
}

TEST_CASE("interface address: host bits kept, /32 by default", "[values]") {
    const IfAddr a = IfAddr::parse("10.0.0.1/24").value();
    CHECK(a.local() == Ipv4(10, 0, 0, 1));
    CHECK(a.prefix().str() == "10.0.0.0/24");
    CHECK(a.broadcast().str() == "10.0.0.255");
    CHECK(a.str() == "10.0.0.1/24");
    CHECK(IfAddr::parse("10.0.0.1").value().str() == "10.0.0.1/32");
    CHECK_FALSE(IfAddr::parse("10.0.0.1/40"));
}

TEST_CASE("mac: six octets, unicast only", "[values]") {
    CHECK(Mac::parse("02:AB:cd:00:00:01").value().str() == "02:ab:cd:00:00:01");
    CHECK(Mac::parse("01:00:5e:00:00:01").error() ==
          "MAC address '01:00:5e:00:00:01' is multicast: Cannot assign requested address");
    for (const char* bad : {"", "02:00:00:00:00", "02-00-00-00-00-01", "02:00:00:00:00:0g", "02:00:00:00:00:001"}) {
        INFO(bad);
        CHECK_FALSE(Mac::parse(bad));
    }
    CHECK(Mac::local(1).str() == "02:00:00:00:00:01");
    CHECK_FALSE(Mac::local(1).is_multicast());
}

TEST_CASE("names: what dev_valid_name and ip netns accept", "[values]") {
    CHECK_FALSE(check_ifname("veth0"));
    CHECK_FALSE(check_ifname("abcdefghijklmno"));  // 15 bytes
    CHECK(check_ifname("a-very-long-name0") == "interface name 'a-very-long-name0' is 17 bytes; Linux allows 15");
    CHECK(check_ifname("a/b") == "interface name 'a/b' contains '/'; Linux forbids '/', ':' and whitespace");
    CHECK(check_ifname("a:b") == "interface name 'a:b' contains ':'; Linux forbids '/', ':' and whitespace");
    CHECK(check_ifname("a b") == "interface name 'a b' contains whitespace; Linux forbids '/', ':' and whitespace");
    CHECK(check_ifname("").value() == "interface name is empty");
    CHECK(check_ifname("..").value() == "interface name '..' is not allowed");
    CHECK_FALSE(check_netns_name("ns0"));
    CHECK(check_netns_name("a/b") == "Invalid netns name \"a/b\"");
    CHECK(ns_display("") == "(host)");
}

TEST_CASE("route words and iproute2's defaults", "[values]") {
    CHECK(route_table_from("main") == kTableMain);
    CHECK(route_table_from("100") == 100u);
    CHECK_FALSE(route_table_from("0"));
    CHECK_FALSE(route_table_from("mian"));
    CHECK(route_scope_from("link") == RouteScope::link);
    CHECK(route_scope_from("253") == RouteScope::link);
    CHECK(route_type_from("blackhole") == RouteType::blackhole);
    CHECK(to_string(RouteScope::universe) == "global");

    RouteSpec s;
    CHECK(s.effective_scope(RouteOp::add) == RouteScope::link);  // device route
    s.via = Ipv4();                                               // `via 0.0.0.0` still counts as a gateway
    CHECK(s.effective_scope(RouteOp::change) == RouteScope::universe);
    CHECK(s.effective_scope(RouteOp::del) == RouteScope::nowhere);
    s.type = RouteType::local;
    CHECK(s.effective_table() == kTableLocal);
    CHECK(s.effective_scope(RouteOp::add) == RouteScope::host);
}
