// The kernel is the oracle for the simulator: each scenario runs on the real kernel (ip
// and iputils ping in throwaway namespaces) and in the twin; every ping must end alike:
// the same replies (with ttl), the same ICMP errors from the same addresses, the same
// connect failure, or the same silence.
#include <catch2/catch.hpp>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim/kernel.hpp"
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
            testing::wait_for_kernel(lab, st);
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
