// The kernel is the oracle for the simulator: each scenario runs on the real kernel (ip
// and iputils ping in throwaway namespaces) and in the twin; every ping must end alike:
// the same replies (with ttl), the same ICMP errors from the same addresses, the same
// connect failure, or the same silence.
#include <catch2/catch.hpp>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim/kernel.hpp"
#include "sim/route_printer.hpp"
#include "sim_scenarios.hpp"
#include "sim_support.hpp"

using namespace vethlab;

namespace {

void run_on_kernel(const testing::KernelLab& lab, const std::string& script) {
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    REQUIRE(parsed.ok());
    for (const auto& e : parsed.topology.edits) {
        EditOp op = e.op;
        REQUIRE(lab.localize(op));
        auto r = testing::run_shell(format_command(op));
        INFO(format_command(op) << ": " << r.err);
        REQUIRE(r.status == 0);
    }
}

// Carrier reaches the kernel asynchronously: LOWER_UP changes at once, but linkwatch's
// NETDEV_CHANGE -- which flags routes linkdown and flushes neighbours -- follows up to a
// second later. Wait until both the flags and the main tables (with their linkdown
// marks) are what the model says, so no flush lands in the middle of a ping.
void wait_for_carrier(const testing::KernelLab& lab, const NetState& st) {
    for (int attempt = 0; attempt < 40; ++attempt) {
        bool settled = true;
        for (const auto& [name, ns] : st.namespaces()) {
            if (name.empty()) continue;
            const std::string out = testing::run_shell("ip -n " + lab.real(name) + " -o link").out;
            for (const auto& l : ns.links) {
                const auto at = out.find(": " + l.name + (l.kind == LinkKind::veth ? "@" : ":"));
                const auto flags_end = out.find('>', at);
                const bool lower_up = at != std::string::npos &&
                                      out.substr(at, flags_end - at).find("LOWER_UP") != std::string::npos;
                settled = settled && lower_up == st.carrier(ns, l);
            }
            const std::string routes = testing::run_shell("ip -n " + lab.real(name) + " route show table main").out;
            settled = settled && lab.unlocalize(routes) == sim::format_ip_route(st, ns);
        }
        if (settled) return;
        testing::run_shell("sleep 0.1");
    }
    FAIL("the kernel's carrier flags never matched the model's");
}

}  // namespace

TEST_CASE("kernel: ping outcomes of the simulator match the kernel's", "[kernel][sim]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    for (const auto& sc : testing::sim_scenarios()) {
        SECTION(sc.name) {
            testing::KernelLab lab;
            run_on_kernel(lab, sc.script);
            NetState st;
            testing::build(st, sc.script);
            sim::Kernel twin(st);
            wait_for_carrier(lab, st);
            for (const auto& p : sc.pings) {
                auto real = testing::run_shell("ip netns exec " + lab.real(p.ns) + " ping " + p.args);
                real.out += real.err;
                INFO("ping " << p.args << " in " << p.ns << "\nkernel said:\n" << real.out);
                auto predicted = testing::sim_ping(twin, st, p.ns, p.args);
                CHECK(testing::outcome(predicted) == testing::outcome_of_output(real.out));
            }
        }
    }
}
