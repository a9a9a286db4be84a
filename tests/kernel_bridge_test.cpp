// The Linux bridge, with the kernel as the oracle: the same edits on the real kernel (ip,
// in throwaway namespaces) and in the model must be accepted or refused alike with the
// same message and end in the same `ip link` and route tables; the same pings must end
// alike in the simulator; and `vethlab up` of a bridge lab gives a working bridge.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include <fmt/format.h>

#include "analysis/generators.hpp"
#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "random_topology.hpp"
#include "sim/kernel.hpp"
#include "sim/link_printer.hpp"
#include "sim/route_printer.hpp"
#include "sim_scenarios.hpp"
#include "sim_support.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;

namespace {

// Every edit refused or accepted on both; the refusals are the kernel's (and iproute2's)
// rules for masters: a port of another bridge is released even when the new master
// refuses it. At the end no port has carrier (the bridge has none, its route is
// linkdown) and the bridge's MTU, once set by hand, no longer follows its ports.
const char* kEdits = R"(ip netns add sw
ip netns add a
ip netns add b
ip -n sw link add br0 type bridge
ip -n sw link set lo master br0
ip -n sw link set br0 master nosuch
ip -n sw link set nosuch master br0
ip -n sw link add va type veth peer name pa netns a
ip -n sw link add vb type veth peer name pb netns b
ip -n sw link set va master vb
ip -n sw link set br0 master br0
ip -n sw link add br1 type bridge
ip -n sw link set br1 master br0
ip -n sw link set va master br1
ip -n sw link set va master br1
ip -n sw link set va master vb
ip -n sw link set va master br0
ip -n sw link set vb mtu 1400
ip -n sw link set vb master br0
ip -n sw link set br0 up
ip -n sw link set va up
ip -n sw link set vb up
ip -n a link set pa up
ip -n b link set pb up
ip -n sw addr add 10.1.0.254/24 dev br0
ip -n sw addr add 10.2.0.1/24 dev va
ip -n sw link set br1 netns a
ip -n sw link set vb nomaster
ip -n sw link set vb master br0
ip -n sw link set br1 nomaster
ip -n sw link del br1
ip -n a link set pa down
ip -n b link set pb down
ip -n sw link set br0 mtu 1300
ip -n sw link set vb nomaster
ip -n sw link set vb master br0
)";

// Every MAC masked: the kernel gives a bridge without ports the all-zero one.
std::string mask_all_macs(const std::string& text) {
    static const std::regex mac("link/ether ([0-9a-f]{2}:){5}[0-9a-f]{2}");
    return std::regex_replace(text, mac, "link/ether <mac>");
}

// Three hosts a, b, c on br0 in sw (10.1.0.0/24, the bridge .254); sw's port va also
// has 10.2.0.1/24 and a's pa 10.2.0.2/24. Then `extra`.
std::string bridge_script(const std::string& extra) {
    std::string s = "ip netns add sw\nip -n sw link set lo up\nip -n sw link add br0 type bridge\n";
    int i = 1;
    for (const char* h : {"a", "b", "c"}) {
        s += fmt::format(
            "ip netns add {0}\nip -n {0} link set lo up\n"
            "ip -n sw link add v{0} type veth peer name p{0} netns {0}\n"
            "ip -n sw link set v{0} master br0\nip -n sw link set v{0} up\n"
            "ip -n {0} addr add 10.1.0.{1}/24 dev p{0}\nip -n {0} link set p{0} up\n",
            h, i++);
    }
    s += "ip -n sw addr add 10.1.0.254/24 dev br0\nip -n sw link set br0 up\n"
         "ip -n sw addr add 10.2.0.1/24 dev va\nip -n a addr add 10.2.0.2/24 dev pa\n";
    return s + extra;
}

struct BridgeScenario {
    std::string name;
    std::string extra;
    std::vector<testing::PingCheck> pings;
};

const std::vector<BridgeScenario>& bridge_scenarios() {
    static const std::vector<BridgeScenario> all = {
        {"hosts, the bridge's own address, a port's address ignored",
         "",
         {{"a", "-c 2 -i 0.2 -W 1 10.1.0.2"},
          {"c", "-c 1 -W 1 10.1.0.1"},
          {"a", "-c 1 -W 1 10.1.0.254"},
          {"sw", "-c 1 -W 1 10.1.0.3"},
          {"a", "-c 1 -W 1 10.2.0.1"},
          {"sw", "-c 1 -W 1 10.2.0.2"}}},
        {"bridge down", "ip -n sw link set br0 down\n", {{"a", "-c 1 -W 1 10.1.0.2"}, {"b", "-c 1 -W 1 10.1.0.254"}}},
        {"a port down, the others still switch", "ip -n sw link set vb down\n",
         {{"a", "-c 1 -W 1 10.1.0.2"}, {"a", "-c 1 -W 1 10.1.0.3"}}},
        {"a port released: its own address answers again", "ip -n sw link set va nomaster\n",
         {{"a", "-c 1 -W 1 10.2.0.1"}, {"a", "-c 1 -W 1 10.1.0.2"}, {"b", "-c 1 -W 1 10.1.0.3"}}},
        {"the bridge deleted", "ip -n sw link del br0\n", {{"b", "-c 1 -W 1 10.1.0.3"}}},
    };
    return all;
}

void run_on_kernel(const KernelLab& lab, const std::string& script) {
    Parsed parsed = parse_ip_script(script, "bridge.sh");
    REQUIRE(parsed.ok());
    for (const auto& e : parsed.topology.edits) {
        EditOp op = e.op;
        REQUIRE(lab.localize(op));
        auto r = run_shell(format_command(op));
        INFO(format_command(op) << ": " << r.err);
        REQUIRE(r.status == 0);
    }
}

}  // namespace

TEST_CASE("kernel: bridge edits are accepted and refused as the kernel does", "[kernel][bridge]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    NetState st;
    Parsed parsed = parse_ip_script(kEdits, "bridge.sh");
    REQUIRE(parsed.ok());
    for (const auto& e : parsed.topology.edits) testing::apply_on_both(lab, st, e);
    testing::wait_for_kernel(lab, st);
    for (const std::string ns : {"sw", "a", "b"}) {
        INFO("namespace " << ns);
        const Namespace& n = *st.ns(ns);
        const auto links = run_shell("ip -n " + lab.real(ns) + " link show");
        CHECK(mask_all_macs(lab.unlocalize(links.out)) == mask_all_macs(sim::format_ip_link(st, n, false, {})));
        const auto routes = run_shell("ip -n " + lab.real(ns) + " route show table main");
        CHECK(lab.unlocalize(routes.out) == sim::format_ip_route(st, n));
    }
}

TEST_CASE("kernel: pings across a bridge end as on the kernel", "[kernel][bridge][sim]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    for (const auto& sc : bridge_scenarios()) {
        SECTION(sc.name) {
            const std::string script = bridge_script(sc.extra);
            KernelLab lab;
            run_on_kernel(lab, script);
            NetState st;
            testing::build(st, script);
            sim::Kernel twin(st);
            testing::wait_for_kernel(lab, st);
            for (const auto& p : sc.pings) {
                auto real = run_shell("ip netns exec " + lab.real(p.ns) + " ping " + p.args);
                real.out += real.err;
                INFO("ping " << p.args << " in " << p.ns << "\nkernel said:\n" << real.out);
                auto predicted = testing::sim_ping(twin, st, p.ns, p.args);
                CHECK(testing::outcome(predicted) == testing::outcome_of_output(real.out));
            }
        }
    }
}

TEST_CASE("kernel: vethlab up of a bridge lab gives a working bridge, down removes it", "[kernel][bridge][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    testing::TempDir dir;
    auto plan = analysis::generate(analysis::Shape::bridge, 4, {});
    REQUIRE(plan);
    const std::string file = dir.path() + "/bridge4.yaml";
    std::ofstream(file) << analysis::plan_yaml(*plan);
    const std::string cli = VETHLAB_CLI;
    const auto shown = run_shell(fmt::format("{} plan '{}' --prefix {}", cli, file, lab.prefix()));
    const auto add_br = shown.out.find(fmt::format("ip -n {}switch link add br0 ", lab.prefix()));
    REQUIRE(add_br != std::string::npos);
    CHECK(shown.out.substr(add_br, shown.out.find('\n', add_br) - add_br).ends_with(" type bridge"));
    CHECK(shown.out.find(fmt::format("ip -n {}switch link set to-ns0 master br0", lab.prefix())) != std::string::npos);

    auto r = run_shell(fmt::format("{} up '{}' --name br4 --prefix {} --state-dir '{}'", cli, file, lab.prefix(),
                                   dir.path()));
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto port = run_shell("ip -n " + lab.real("switch") + " link show to-ns3");
    CHECK(port.out.find(" master br0 ") != std::string::npos);
    // The ports' carrier comes through linkwatch: give the bridge a moment.
    run_shell("for i in $(seq 40); do ip -n " + lab.real("switch") +
              " link show br0 | grep -q LOWER_UP && break; sleep 0.1; done");
    CHECK(run_shell("ip netns exec " + lab.real("ns0") + " ping -c 1 -W 2 10.0.0.4").status == 0);
    CHECK(run_shell("ip netns exec " + lab.real("ns3") + " ping -c 1 -W 2 10.0.0.2").status == 0);

    r = run_shell(fmt::format("{} down --name br4 --state-dir '{}'", cli, dir.path()));
    CHECK(r.status == 0);
    CHECK(lab.namespaces().empty());
}

TEST_CASE("kernel: random topologies with a bridge, edit by edit, as on the kernel", "[kernel][bridge][diff]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    int run = 0;
    for (uint64_t seed = 1; seed <= 1000 && run < 8; ++seed) {
        const Topology topo = testing::random_topology(seed);
        bool bridge = false, dummy = false;
        for (const auto& e : topo.edits)
            if (const auto* add = std::get_if<LinkAdd>(&e.op)) {
                bridge = bridge || add->kind == LinkKind::bridge;
                dummy = dummy || add->kind == LinkKind::dummy;  // no dummy driver here (KERNEL-NOTES)
            }
        if (!bridge || dummy) continue;
        ++run;
        INFO("seed " << seed);
        KernelLab lab;
        NetState st;
        for (const auto& e : topo.edits) testing::apply_on_both(lab, st, e);
        testing::wait_for_kernel(lab, st);
        for (const auto& [name, ns] : st.namespaces()) {
            if (name.empty()) continue;
            INFO("namespace " << name);
            const auto routes = run_shell("ip -n " + lab.real(name) + " route show table main");
            CHECK(lab.unlocalize(routes.out) == sim::format_ip_route(st, ns));
            // Linkwatch sets RUNNING (and the operstate) after LOWER_UP, up to a second
            // later and more on a loaded machine: wait until no line shows both.
            auto links = run_shell("ip -n " + lab.real(name) + " -br link");
            for (int i = 0; i < 50 && std::regex_search(links.out, std::regex("NO-CARRIER[^\n]*LOWER_UP")); ++i)
                links = run_shell("sleep 0.1; ip -n " + lab.real(name) + " -br link");
            CHECK(testing::mask_macs(lab.unlocalize(links.out)) == testing::mask_macs(sim::format_ip_link(st, ns, true, {})));
        }
    }
    CHECK(run == 8);
}
