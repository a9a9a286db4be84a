// The kernel is the oracle for the configuration plane: each scenario's edits run on
// the real kernel (through ip, in throwaway namespaces) and in NetState; every edit
// must be accepted or refused alike, with the same message, and the route tables of
// both must print the same.
#include <catch2/catch.hpp>

#include "kernel_lab.hpp"
#include "sim_scenarios.hpp"
#include "model/ip_script.hpp"
#include "model/netstate.hpp"
#include "sim/route_printer.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;

namespace {

std::string kernel_routes(const KernelLab& lab, const std::string& ns, const char* table) {
    return testing::run_shell("ip -n " + lab.real(ns) + " route show table " + table).out;
}

void run_scenario(const std::string& script) {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    INFO(script);
    REQUIRE(parsed.ok());
    KernelLab lab;
    NetState st;
    for (const auto& edit : parsed.topology.edits)
        if (!edit.is_observation()) testing::apply_on_both(lab, st, edit);
    testing::wait_for_kernel(lab, st);
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        INFO("namespace " << name);
        CHECK(sim::format_ip_route(st, ns, kTableMain) == lab.unlocalize(kernel_routes(lab, name, "main")));
        CHECK(sim::format_ip_route(st, ns, kTableLocal) == lab.unlocalize(kernel_routes(lab, name, "local")));
    }
}

}  // namespace

TEST_CASE("kernel: the seed scenario's tables, before and after ip route change", "[kernel][netstate]") {
    run_scenario(testing::seed_script() + "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n");
}

TEST_CASE("kernel: refused route edits and their messages", "[kernel][netstate]") {
    run_scenario(R"(
ip netns add a
ip -n a link add v0 type veth peer name v1
ip -n a addr add 10.0.0.1/24 dev v0
ip -n a link set v0 up
ip -n a route add 10.0.0.0/24 dev v0
ip -n a route change 10.7.0.0/24 dev v0
ip -n a route del 10.7.0.0/24
ip -n a route add 10.8.0.0/16 via 192.168.1.1
ip -n a route add 10.8.0.0/16 via 10.0.0.2 dev v1
ip -n a route add 10.8.0.0/16 dev v1
ip -n a route add 10.8.0.0/16 dev nope
ip -n a route add 10.9.0.0/16 via 10.0.0.2
ip -n a route append 10.9.0.0/16 via 10.0.0.3
ip -n a route add 10.9.0.0/16 via 10.0.0.3 metric 5
ip -n a route replace 10.10.0.0/16 dev v0 metric 7
ip -n a route replace 10.10.0.0/16 via 10.0.0.9 metric 7
ip -n a route add blackhole 10.11.0.0/16
ip -n a route add unreachable 10.12.0.0/16
ip -n a route add prohibit 10.13.0.0/16
ip -n a route add blackhole 10.14.0.0/16 dev v0
ip -n a route add 10.15.0.0/16 dev v0 src 10.0.0.1
ip -n a route add 10.16.0.0/16 dev v0 src 10.0.0.77
ip -n a route del 10.9.0.0/16 via 10.0.0.3
ip -n a route del 10.10.0.0/16
)");
}

TEST_CASE("kernel: addresses, lo, link down and the routes they take along", "[kernel][netstate]") {
    run_scenario(R"(
ip netns add a
ip -n a link set lo up
ip -n a link add v0 type veth peer name v1
ip -n a link set v0 up
ip -n a link set v1 up
ip -n a addr add 10.1.0.1/24 dev v0
ip -n a addr add 10.1.0.1/24 dev v0
ip -n a addr add 10.1.0.2/24 dev v0
ip -n a addr add 10.2.0.0/31 dev v0
ip -n a addr add 10.3.0.1/32 dev v0
ip -n a addr add 10.4.0.1/24 dev v1
ip -n a addr del 10.9.0.1/24 dev v0
ip -n a route add 10.20.0.0/16 via 10.1.0.254
ip -n a route add 10.21.0.0/16 via 10.4.0.254
ip -n a link set v1 down
ip -n a addr del 10.3.0.1/32 dev v0
ip -n a addr add 10.5.0.1/24 dev lo
)");
}

TEST_CASE("kernel: links across namespaces: moves, renames, deletes, mtu", "[kernel][netstate]") {
    run_scenario(R"(
ip netns add a
ip netns add b
ip netns add c
ip -n a link add x type veth peer name y netns b
ip -n a link add x type dummy
ip -n a addr add 10.0.0.1/30 dev x
ip -n a link set x up
ip -n b link set y up
ip -n a link set x name z
ip -n a link set x down
ip -n a link set x name z
ip -n a link set z mtu 60
ip -n a link set z mtu 9000
ip -n a link set z netns c
ip -n c link set z up
ip -n c addr add 10.0.0.1/30 dev z
ip -n b addr add 10.0.0.2/30 dev y
ip -n a link set lo netns b
ip -n a link del lo
ip netns add a
ip netns del c
ip -n b link set y up
)");
}

TEST_CASE("kernel: sysctl writes and refusals", "[kernel][netstate]") {
    run_scenario(R"(
ip netns add r
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec r sysctl -w net.ipv4.conf.nope.rp_filter=1
ip netns exec r sysctl -w net.ipv4.conf.all.arp_announce=2
ip netns exec r sysctl -w net.ipv4.conf.all.rp_filter=7
ip netns exec r sysctl -w net.ipv4.conf.default.arp_ignore=9
ip netns exec r sysctl -w net.ipv4.ip_forward=5
ip netns exec r sysctl -w net.ipv4.neigh.default.mcast_solicit=300
ip netns exec r sysctl -w net.ipv4.conf.lo.rp_filter=abc
)");
}

TEST_CASE("kernel: broadcast addresses and the local routes they add and take away", "[kernel][netstate]") {
    run_scenario(R"(
ip netns add a
ip -n a link add v0 type veth peer name v1
ip -n a link set v0 up
ip -n a addr add 10.0.0.1/24 brd + dev v0
ip -n a addr add 10.0.0.9/24 brd + dev v0
ip -n a addr add 10.1.0.1/24 brd 10.1.0.7 dev v0
ip -n a addr add 10.2.0.1/24 brd - dev v0
ip -n a addr add 10.3.0.1/30 brd 255.255.255.255 dev v0
ip -n a addr add 10.4.0.1/24 brd 10.9.9.9 dev v0
ip -n a addr del 10.4.0.1/24 dev v0
ip netns add b
ip -n b link add d0 type veth peer name d1
ip -n b addr add 10.1.0.1/24 brd 10.1.0.7 dev d0
ip -n b addr add 10.5.0.1/24 brd 10.1.0.7 dev d0
ip -n b addr add 10.6.0.1/24 brd 10.6.0.200 dev d0
ip -n b link set d0 up
ip -n b link set d1 up
ip -n b addr add 10.6.0.2/24 brd 10.6.0.100 dev d0
ip -n b addr del 10.1.0.1/24 dev d0
ip -n b addr del 10.6.0.2/24 dev d0
ip netns add c
ip -n c link add d0 type veth peer name d1
ip -n c link set d0 up
ip -n c link set d1 up
ip -n c addr add 10.7.0.1/24 brd 10.7.0.255 dev d0
ip -n c addr add 10.7.1.1/24 brd 10.7.0.255 dev d0
ip -n c addr del 10.7.0.1/24 dev d0
)");
}
