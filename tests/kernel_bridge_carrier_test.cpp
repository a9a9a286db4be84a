// A bridge's carrier and operstate over its life, with the kernel as the oracle: a new
// bridge has carrier when up (operstate UNKNOWN) until its first port; from then on its
// carrier comes from its up ports with carrier, and without ports it has none.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "sim/link_printer.hpp"
#include "sim/route_printer.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;

namespace {

struct CarrierStep {
    std::string what;
    std::string script;
};

// Each step runs after the ones before it, in the same namespaces.
const std::vector<CarrierStep>& carrier_steps() {
    static const std::vector<CarrierStep> all = {
        {"a new bridge, up, with an address",
         "ip netns add sw\nip netns add a\nip -n sw link add br0 type bridge\nip -n sw link set br0 up\n"
         "ip -n sw addr add 10.9.0.1/24 dev br0\n"},
        {"a port added, down", "ip -n sw link add va type veth peer name pa netns a\nip -n sw link set va master br0\n"},
        {"the port up with carrier", "ip -n sw link set va up\nip -n a link set pa up\n"},
        {"the port removed", "ip -n sw link set va nomaster\n"},
        {"the bridge down and up again", "ip -n sw link set br0 down\nip -n sw link set br0 up\n"},
        {"the port back, then its peer deleted",
         "ip -n sw link set va master br0\nip -n a link del pa\n"},
        {"a second new bridge, down then up",
         "ip -n sw link add br1 type bridge\nip -n sw link set br1 up\nip -n sw link set br1 down\n"
         "ip -n sw link set br1 up\n"},
    };
    return all;
}

}  // namespace

TEST_CASE("kernel: a bridge's carrier before, with and after its ports", "[kernel][bridge]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    NetState st;
    for (const auto& step : carrier_steps()) {
        INFO("step: " << step.what);
        Parsed parsed = parse_ip_script(step.script, "carrier.sh");
        REQUIRE(parsed.ok());
        for (const auto& e : parsed.topology.edits) testing::apply_on_both(lab, st, e);
        testing::wait_for_kernel(lab, st);
        const Namespace& sw = *st.ns("sw");
        const std::string predicted = testing::mask_macs(sim::format_ip_link(st, sw, false, {}));
        // The operstate follows LOWER_UP through linkwatch, up to a second later.
        std::string real;
        for (int i = 0; i < 30; ++i) {
            real = testing::mask_macs(lab.unlocalize(run_shell("ip -n " + lab.real("sw") + " link show").out));
            if (real == predicted) break;
            run_shell("sleep 0.1");
        }
        CHECK(real == predicted);
        CHECK(lab.unlocalize(run_shell("ip -n " + lab.real("sw") + " route show table main").out) ==
              sim::format_ip_route(st, sw));
    }
}

TEST_CASE("kernel: a bridge takes its smallest port's MAC, all-zero without ports, unless set", "[kernel][bridge]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    // Every port MAC pinned, so the bridge's MAC must be the same as the kernel's at
    // every step once it had a port (before that it is random on both).
    const std::vector<std::string> steps = {
        "ip netns add sw\nip -n sw link add br0 type bridge\n"
        "ip -n sw link add va address 02:00:00:00:00:09 type veth peer name pa address 02:00:00:00:01:09\n"
        "ip -n sw link add vb address 02:00:00:00:00:05 type veth peer name pb address 02:00:00:00:01:05\n"
        "ip -n sw link set va master br0\n",
        "ip -n sw link set vb master br0\n",
        "ip -n sw link set va address 02:00:00:00:00:01\n",
        "ip -n sw link del va\n",
        "ip -n sw link set vb nomaster\n",
        "ip -n sw link set br0 address 02:00:00:00:00:42\n",
        "ip -n sw link set vb master br0\n",
    };
    KernelLab lab;
    NetState st;
    for (const auto& step : steps) {
        INFO("after:\n" << step);
        Parsed parsed = parse_ip_script(step, "mac.sh");
        REQUIRE(parsed.ok());
        for (const auto& e : parsed.topology.edits) testing::apply_on_both(lab, st, e);
        const auto real = run_shell("ip -n " + lab.real("sw") + " -br link show br0").out;
        const std::string predicted = sim::format_ip_link(st, *st.ns("sw"), true, std::string("br0"));
        // The MAC, the third column.
        CHECK(real.substr(32, 17) == predicted.substr(32, 17));
    }
}
