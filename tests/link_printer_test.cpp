// ip link / ip -4 addr / ip neigh printers on model state. The expected texts are what
// iproute2 6.1 printed on Linux 6.18 for the same edits (tests/kernel_printer_test.cpp
// checks the link printers against the kernel itself); dummy is not in this kernel, so
// its lines follow drivers/net/dummy.c (NOARP, no MULTICAST, IFF_NO_QUEUE, never a
// carrier event: state UNKNOWN).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "sim_scenarios.hpp"
#include "model/netstate.hpp"
#include "sim/link_printer.hpp"
#include "sim/neigh_printer.hpp"

using namespace vethlab;
using namespace vethlab::sim;

namespace {

NetState state_of(const std::string& script) {
    Parsed parsed = parse_ip_script(script, "test.sh");
    REQUIRE(parsed.ok());
    NetState st;
    for (const auto& edit : parsed.topology.edits) {
        INFO(edit.text);
        REQUIRE_FALSE(st.apply(edit.op));
    }
    return st;
}

const Namespace& ns(const NetState& st, const char* name) { return *st.ns(name); }

std::string link(const NetState& st, const char* n, bool brief = false, std::optional<std::string> dev = {}) {
    return format_ip_link(st, ns(st, n), brief, dev);
}
std::string addr(const NetState& st, const char* n, bool brief = false, std::optional<std::string> dev = {}) {
    return format_ip_addr(st, ns(st, n), brief, dev);
}

const char* const kPair = R"(
ip netns add a
ip netns add b
ip -n a link add veth0 address 02:00:00:00:0a:01 type veth peer name veth1 netns b address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n a addr add 10.0.0.5/24 dev veth0
ip -n a addr add 10.9.0.1/32 dev veth0
ip -n a link set veth0 up
)";

}  // namespace

TEST_CASE("ip link: a new namespace has lo down and no IPv4 address", "[printer]") {
    const NetState st = state_of("ip netns add a\n");
    CHECK(link(st, "a") ==
          "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
    CHECK(link(st, "a", true) == "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n");
    CHECK(addr(st, "a") == "");
    CHECK(addr(st, "a", true) == "");
}

TEST_CASE("ip link and ip -4 addr: lo up gets 127.0.0.1/8 scope host and state UNKNOWN", "[printer]") {
    const NetState st = state_of("ip netns add a\nip -n a link set lo up\nip -n a addr add 10.5.0.1/24 dev lo\n");
    CHECK(link(st, "a") ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n"
          "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
    CHECK(addr(st, "a") ==
          "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
          "    inet 127.0.0.1/8 scope host lo\n"
          "       valid_lft forever preferred_lft forever\n"
          "    inet 10.5.0.1/24 scope global lo\n"
          "       valid_lft forever preferred_lft forever\n");
    CHECK(addr(st, "a", true) == "lo               UNKNOWN        127.0.0.1/8 10.5.0.1/24 \n");
}

TEST_CASE("ip link and ip -4 addr: a veth whose peer is in another namespace", "[printer]") {
    const NetState st = state_of(kPair);
    CHECK(link(st, "a", false, "veth0") ==
          "2: veth0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT "
          "group default qlen 1000\n"
          "    link/ether 02:00:00:00:0a:01 brd ff:ff:ff:ff:ff:ff link-netns b\n");
    CHECK(addr(st, "a") ==
          "2: veth0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default "
          "qlen 1000 link-netns b\n"
          "    inet 10.0.0.1/24 scope global veth0\n"
          "       valid_lft forever preferred_lft forever\n"
          "    inet 10.9.0.1/32 scope global veth0\n"
          "       valid_lft forever preferred_lft forever\n"
          "    inet 10.0.0.5/24 scope global secondary veth0\n"
          "       valid_lft forever preferred_lft forever\n");
    CHECK(link(st, "b", true) ==
          "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n"
          "veth1@if2        DOWN           02:00:00:00:0b:01 <BROADCAST,MULTICAST> \n");
    CHECK(addr(st, "a", true) == "veth0@if2        DOWN           10.0.0.1/24 10.9.0.1/32 10.0.0.5/24 \n");
}

TEST_CASE("ip link: both ends up give carrier and state UP", "[printer]") {
    const NetState st = state_of(std::string(kPair) + "ip -n b link set veth1 up\n");
    CHECK(link(st, "b", false, "veth1") ==
          "2: veth1@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "
          "group default qlen 1000\n"
          "    link/ether 02:00:00:00:0b:01 brd ff:ff:ff:ff:ff:ff link-netns a\n");
}

TEST_CASE("ip link: a veth pair in one namespace names its peer and flags it M-DOWN", "[printer]") {
    const NetState st =
        state_of("ip netns add a\nip -n a link add v2 type veth peer name v3\nip -n a link set v2 up\n");
    const Link& v2 = *ns(st, "a").link("v2");
    const Link& v3 = *ns(st, "a").link("v3");
    CHECK(link(st, "a", true, "v2") == fmt::format("v2@v3            LOWERLAYERDOWN {} <NO-CARRIER,BROADCAST,"
                                                   "MULTICAST,UP,M-DOWN> \n", v2.mac.str()));
    CHECK(link(st, "a", true, "v3") ==
          fmt::format("v3@v2            DOWN           {} <BROADCAST,MULTICAST> \n", v3.mac.str()));
}

// default_operstate looks the peer's ifindex up in the device's own namespace (the same
// script runs on the kernel in tests/kernel_printer_test.cpp).
TEST_CASE("ip link: operstate of a veth whose remote peer is down", "[printer]") {
    const NetState st = state_of(testing::remote_peer_down_script());

    CHECK(link(st, "a", true, "q0").find("q0@if2           LOWERLAYERDOWN ") == 0);  // a:2 is t1, no carrier
    CHECK(link(st, "a", true, "q1").find("q1@if5           DOWN ") == 0);            // no a:5
    CHECK(link(st, "c", true, "q3").find("q3@if2           DOWN ") == 0);            // c:2 is c0, carrier
    CHECK(link(state_of(kPair), "a", true, "veth0").find("veth0@if2        DOWN ") == 0);  // itself
}

TEST_CASE("ip link: tap and dummy", "[printer]") {
    const NetState st = state_of(R"(
ip netns add a
ip -n a tuntap add dev tap0 mode tap
ip -n a link set tap0 up
ip -n a link add dm0 type dummy
ip -n a link add dm1 type dummy
ip -n a link set dm1 up
)");
    CHECK(link(st, "a", false, "tap0").find("2: tap0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast "
                                            "state DOWN mode DEFAULT group default qlen 1000\n    link/ether ") == 0);
    CHECK(link(st, "a", false, "dm0").find("3: dm0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN") == 0);
    CHECK(link(st, "a", false, "dm1").find("4: dm1: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue "
                                           "state UNKNOWN mode DEFAULT") == 0);
}

TEST_CASE("ip link show dev: one device or ip's message for a missing one", "[printer]") {
    const NetState st = state_of(kPair);
    CHECK(link(st, "a", false, "nope") == "Device \"nope\" does not exist.\n");
    CHECK(addr(st, "a", true, "nope") == "Device \"nope\" does not exist.\n");
    CHECK(ip_show_fails(ns(st, "a"), "nope"));
    CHECK_FALSE(ip_show_fails(ns(st, "a"), "lo"));
    CHECK_FALSE(ip_show_fails(ns(st, "a"), std::nullopt));
    CHECK(addr(st, "a", false, "lo") == "");  // `ip -4 addr show dev lo` with no address: nothing
}

TEST_CASE("ip -br link: names longer than the column push the rest right", "[printer]") {
    const NetState st = state_of("ip netns add a\nip netns add b\n"
                                 "ip -n a link add averylongname15 type veth peer name p netns b\n");
    CHECK(link(st, "a", true, "averylongname15").find("averylongname15@if2 DOWN           ") == 0);
}

TEST_CASE("ip link: a peer in the unnamed initial namespace is shown by netns id", "[printer]") {
    const NetState st = state_of("ip netns add a\nip link add h0 type veth peer name n0 netns a\n");
    CHECK(link(st, "a", false, "n0").find("link/ether") != std::string::npos);
    CHECK(link(st, "a", false, "n0").find(" link-netnsid 0\n") != std::string::npos);
    CHECK(link(st, "", false, "h0").find(" link-netns a\n") != std::string::npos);
}

// ---- ip neigh ---------------------------------------------------------------------------

TEST_CASE("ip neigh: one line per entry with a trailing space and lladdr only when valid", "[printer]") {
    const NetState st = state_of(kPair);
    const Namespace& a = ns(st, "a");
    const int veth0 = a.link("veth0")->ifindex;
    const Mac mac = Mac::parse("02:00:00:00:0b:01").value();
    const std::vector<NeighborEntry> entries{
        {Ipv4(10, 0, 0, 2), veth0, mac, NudState::reachable, false},
        {Ipv4(10, 0, 0, 9), veth0, std::nullopt, NudState::incomplete, false},
        {Ipv4(10, 0, 0, 8), veth0, mac, NudState::failed, false},  // no NDA_LLADDR when failed
        {Ipv4(10, 0, 0, 21), veth0, mac, NudState::stale, true},
        {Ipv4(10, 0, 0, 23), veth0, mac, NudState::noarp, false},  // hidden by ip's default filter
        {Ipv4(10, 0, 0, 20), veth0, mac, NudState::permanent, false},
        {Ipv4(10, 0, 0, 24), 99, mac, NudState::delay, false},  // no such device: not ours to show
    };
    CHECK(format_ip_neigh(a, entries) ==
          "10.0.0.2 dev veth0 lladdr 02:00:00:00:0b:01 REACHABLE \n"
          "10.0.0.9 dev veth0 INCOMPLETE \n"
          "10.0.0.8 dev veth0 FAILED \n"
          "10.0.0.21 dev veth0 lladdr 02:00:00:00:0b:01 router STALE \n"
          "10.0.0.20 dev veth0 lladdr 02:00:00:00:0b:01 PERMANENT \n");
    CHECK(format_ip_neigh(a, entries, "veth0").find("10.0.0.2 lladdr 02:00:00:00:0b:01 REACHABLE \n") == 0);
    CHECK(format_ip_neigh(a, entries, "lo") == "");
    CHECK(format_ip_neigh(a, entries, "nope") == "Cannot find device \"nope\"\n");
    CHECK(format_ip_neigh(a, {}) == "");
}

TEST_CASE("ip neigh: state words", "[printer]") {
    CHECK(to_string(NudState::incomplete) == "INCOMPLETE");
    CHECK(to_string(NudState::reachable) == "REACHABLE");
    CHECK(to_string(NudState::stale) == "STALE");
    CHECK(to_string(NudState::delay) == "DELAY");
    CHECK(to_string(NudState::probe) == "PROBE");
    CHECK(to_string(NudState::failed) == "FAILED");
    CHECK(to_string(NudState::noarp) == "NOARP");
    CHECK(to_string(NudState::permanent) == "PERMANENT");
}
