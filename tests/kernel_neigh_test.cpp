// The kernel is the oracle for neighbour states: the same script -- pings, sleeps and
// `ip neigh` -- runs on the real kernel (real time) and on the twin (virtual time), and
// every `ip neigh` must list the same entries in the same states.
//
// The kernel draws each device's reachable_time at random in [base/2, 3*base/2); the twin
// takes base. The script looks only where every draw gives one answer: with base 2 s,
// REACHABLE ends between 1 s and 3 s after a confirmation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim/script_runner.hpp"
#include "sim_scenarios.hpp"
#include "sim_support.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;

namespace {

// ip neigh lists entries in hash order, which changes from boot to boot: compare sorted.
std::vector<std::string> sorted_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(testing::mask_macs(text));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

void run_on_both(const std::string& script) {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    Parsed parsed = parse_ip_script(script, "neigh.sh");
    INFO(script);
    REQUIRE(parsed.ok());
    KernelLab lab;
    NetState kernel_model;  // what apply_on_both checks each kernel answer against
    sim::ScriptRunner twin;
    for (const auto& edit : parsed.topology.edits) {
        INFO("line " << edit.loc.line << ": " << edit.text);
        const sim::StepResult predicted = twin.run(edit);
        if (const auto* sleep = std::get_if<Sleep>(&edit.op)) {
            std::this_thread::sleep_for(std::chrono::duration<double>(sleep->seconds));
            continue;
        }
        if (!edit.is_observation()) {
            testing::apply_on_both(lab, kernel_model, edit);
            continue;
        }
        EditOp op = edit.op;
        REQUIRE(lab.localize(op));
        const auto real = testing::run_shell(format_command(op));
        const std::string kernel = lab.unlocalize(real.out + real.err);
        if (std::holds_alternative<Ping>(edit.op))
            CHECK(testing::outcome_of_output(predicted.output) == testing::outcome_of_output(kernel));
        else
            CHECK(sorted_lines(predicted.output) == sorted_lines(kernel));
    }
}

}  // namespace

const std::string kPair = testing::pair_script() + "ip -n a link set lo up\n";

TEST_CASE("kernel: neighbour states after a ping: REACHABLE, DELAY, PROBE answered, REACHABLE", "[kernel][neigh]") {
    run_on_both(kPair + R"(
ip netns exec a sysctl -w net.ipv4.neigh.veth0.base_reachable_time_ms=2000
ip netns exec b sysctl -w net.ipv4.neigh.veth1.base_reachable_time_ms=2000
ip -n a neigh
ip netns exec a ping -c 1 10.0.0.2
# a resolved b: REACHABLE; b learnt a from the request (STALE) and answered: DELAY
ip -n a neigh
ip -n b neigh
sleep 3.5
# a: unconfirmed for reachable_time (1-3 s) but used within delay_first_probe_time: DELAY
ip -n a neigh
ip -n b neigh
sleep 2
# b's DELAY ran out at 5 s: PROBE, answered: REACHABLE; a still in DELAY (until 6-8 s)
ip -n a neigh
ip -n b neigh
)");
}

TEST_CASE("kernel: neighbour states: INCOMPLETE, FAILED, age to STALE, wake to DELAY", "[kernel][neigh]") {
    run_on_both(kPair + R"(
ip netns exec a sysctl -w net.ipv4.neigh.veth0.base_reachable_time_ms=4000
ip netns exec b sysctl -w net.ipv4.neigh.veth1.base_reachable_time_ms=4000
ip netns exec a sysctl -w net.ipv4.neigh.veth0.delay_first_probe_time=1
ip netns exec b sysctl -w net.ipv4.neigh.veth1.delay_first_probe_time=1
ip netns exec a ping -c 1 -W 0.5 10.0.0.9
# nobody has 10.0.0.9: INCOMPLETE while it asks, FAILED after three probes
ip -n a neigh show dev veth0
sleep 3
ip -n a neigh show dev veth0
ip netns exec a ping -c 1 10.0.0.2
sleep 7.5
# unconfirmed for reachable_time (2-6 s), unused for longer than 1 s: STALE
ip -n a neigh
ip -n b neigh
ip netns exec a ping -c 1 10.0.0.2
# a STALE entry used again: DELAY, on both sides
ip -n a neigh
ip -n b neigh
sleep 1.6
# DELAY over after 1 s, unconfirmed: PROBE, answered: REACHABLE
ip -n a neigh
ip -n b neigh
)");
}
