// The libnl backend against ip itself: every edit through LibnlNetlink in one lab and
// through `ip` in another must be accepted or refused alike, with the same message,
// and leave the same kernel state (ip -d link, ip -4 addr, ip -4 route show table all).
#include <set>

#include <catch2/catch.hpp>

#include "backend/netlink_libnl.hpp"
#include "backend/operation.hpp"
#include "kernel_lab.hpp"
#include "kernel_state.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/netstate.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// ip netns del returns before the kernel's cleanup work has removed the namespace's
// veths and their peers elsewhere: wait until the other namespaces hold the links
// the model says they hold (at most 3 s).
void wait_for_netns_cleanup(const KernelLab& lab, const NetState& st) {
    for (int attempt = 0; attempt < 30; ++attempt) {
        bool done = true;
        for (const auto& [name, ns] : st.namespaces()) {
            if (name.empty()) continue;
            const std::string out = run_shell("ip -n " + lab.real(name) + " -o link show | wc -l").out;
            done = done && out == std::to_string(ns.links.size()) + "\n";
        }
        if (done) return;
        run_shell("sleep 0.1");
    }
}

void compare_with_ip(const std::string& script) {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    INFO(script);
    REQUIRE(parsed.ok());
    KernelLab ours, theirs;
    std::set<std::string> namespaces;
    NetState model;
    {
        backend::LibnlNetlink nl;
        for (const auto& edit : parsed.topology.edits) {
            if (edit.is_observation()) continue;
            auto op = backend::operation_for(edit.op);
            REQUIRE(op);
            backend::add_prefix(*op, ours.prefix());
            const auto status = backend::run(nl, *op);
            EditOp real = edit.op;
            REQUIRE(theirs.localize(real));
            const auto r = run_shell(format_command(real));
            model.apply(edit.op);
            if (std::holds_alternative<NetnsDel>(edit.op)) wait_for_netns_cleanup(theirs, model);
            INFO("line " << edit.loc.line << ": " << edit.text);
            CHECK(ours.unlocalize(status.value_or("<accepted>")) ==
                  (r.status == 0 ? std::string("<accepted>") : theirs.unlocalize(trimmed(r.err))));
            if (auto* add = std::get_if<NetnsAdd>(&edit.op)) namespaces.insert(add->name);
        }
    }
    for (const auto& ns : namespaces) {
        INFO("namespace " << ns);
        const auto [mine, ip] = testing::settled_states(ours, theirs, ns);
        CHECK(mine.find("lo: <LOOPBACK") != std::string::npos);
        CHECK(mine == ip);
    }
}

}  // namespace

TEST_CASE("kernel: libnl backend vs ip: links, moves, renames, MTU, MAC", "[kernel][backend]") {
    compare_with_ip(R"(
ip netns add a
ip netns add b
ip -n a link add v0 mtu 9000 address 02:00:00:00:00:01 type veth peer name v1 netns b mtu 1400 address 02:00:00:00:00:02
ip -n a link add v0 type veth peer name v9
ip -n a link add v2 type veth peer name v3
ip -n a link add x type dummy
ip -n a tuntap add dev t0 mode tap
ip -n a tuntap add dev t0 mode tap
ip -n a link set v2 name v4
ip -n a link set nope up
ip -n a link set v4 mtu 60
ip -n a link set v4 mtu 70000
ip -n a link set v4 netns b
ip -n b link set v4 up
ip -n a link set v3 netns nowhere
ip -n a link set v3 address 02:00:00:00:00:33 mtu 1280 up
ip -n a link set t0 up
ip -n a link set lo netns b
ip -n a link del lo
ip -n a link del nope
ip -n a link del v0
ip -n b link set v1 up
)");
}

TEST_CASE("kernel: libnl backend vs ip: addresses and routes", "[kernel][backend]") {
    compare_with_ip(R"(
ip netns add a
ip -n a link set lo up
ip -n a link add v0 type veth peer name v1
ip -n a addr add 10.0.0.1/24 dev v0
ip -n a addr add 10.0.0.1/24 dev v0
ip -n a addr add 10.0.0.2/24 dev v0
ip -n a addr add 10.5.0.1/24 dev lo
ip -n a addr add 10.6.0.1/24 dev nope
ip -n a addr add 10.20.0.1/24 brd + dev v0
ip -n a addr add 10.21.0.1/24 brd 10.21.0.77 dev v0
ip -n a addr add 10.22.0.1/24 brd - dev v0
ip -n a addr del 10.9.0.1/24 dev v0
ip -n a route add 10.7.0.0/16 dev v0
ip -n a link set v0 up
ip -n a link set v1 up
ip -n a route add 10.7.0.0/16 dev v0
ip -n a route add 10.7.0.0/16 dev v0
ip -n a route add 10.8.0.0/16 via 192.168.1.1
ip -n a route add 10.8.0.0/16 via 10.0.0.9
ip -n a route append 10.8.0.0/16 via 10.0.0.10
ip -n a route add 10.8.0.0/16 via 10.0.0.11 metric 5
ip -n a route replace 10.9.0.0/16 dev v0 metric 7
ip -n a route replace 10.9.0.0/16 via 10.0.0.9 metric 7
ip -n a route change 10.10.0.0/16 dev v0
ip -n a route add blackhole 10.11.0.0/16
ip -n a route add unreachable 10.12.0.0/16
ip -n a route add prohibit 10.13.0.0/16
ip -n a route add 10.14.0.0/16 dev v0 src 10.0.0.1
ip -n a route add 10.15.0.0/16 dev v0 src 10.0.0.77
ip -n a route add 10.16.0.0/16 dev v0 table 100
ip -n a route add 10.16.0.0/16 dev v0 table 100 scope host metric 3
ip -n a route add default via 10.0.0.254
ip -n a route del 10.8.0.0/16 via 10.0.0.10
ip -n a route del 10.9.0.0/16
ip -n a route del 10.11.0.0/16
ip -n a route del 10.99.0.0/16
ip -n a route change 10.7.0.0/16 via 0.0.0.0 dev v0
ip -n a addr del 10.0.0.2/24 dev v0
ip -n a link set v1 down
)");
}

TEST_CASE("kernel: libnl backend vs sysctl", "[kernel][backend]") {
    compare_with_ip(R"(
ip netns add r
ip -n r link add v0 type veth peer name v1
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip netns exec r sysctl -w net.ipv4.conf.all.rp_filter=2
ip netns exec r sysctl -w net.ipv4.conf.v0.rp_filter=1
ip netns exec r sysctl -w net.ipv4.conf.nope.rp_filter=1
ip netns exec r sysctl -w net.ipv4.conf.lo.rp_filter=abc
ip netns exec r sysctl -w net.ipv4.neigh.v1.mcast_solicit=5
)");
}

TEST_CASE("kernel: libnl backend vs ip: deleting a namespace", "[kernel][backend]") {
    compare_with_ip(R"(
ip netns add a
ip netns add b
ip netns add c
ip -n a link add x type veth peer name y netns b
ip -n a link add z type veth peer name w netns c
ip netns del c
ip -n a link set z up
ip netns add c
ip -n c link add z type veth peer name w netns a
)");
}
