// Generated topologies on the real kernel: every namespace pings every address of the
// plan, as the simulator predicts (tests/generators_test.cpp).
#include <catch2/catch.hpp>

#include "analysis/generators.hpp"
#include "kernel_lab.hpp"
#include "model/ip_writer.hpp"
#include "model/yaml_reader.hpp"
#include "sim/reach.hpp"

using namespace vethlab;
using analysis::Shape;

TEST_CASE("kernel: generated topologies reach every address", "[kernel][gen]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    const std::vector<std::tuple<Shape, uint64_t, int>> cases{
        {Shape::mesh, 4, 30}, {Shape::ring, 5, 30}, {Shape::ring, 6, 31}, {Shape::line, 4, 30}, {Shape::star, 4, 31},
        {Shape::bridge, 5, 30}};
    for (const auto& [shape, n, len] : cases) {
        INFO(analysis::to_string(shape) << " " << n << " /" << len);
        auto plan = analysis::generate(shape, n, {*Prefix::parse("10.0.0.0/16"), len, true});
        REQUIRE(plan);
        Parsed parsed = parse_yaml_topology(analysis::plan_yaml(*plan), "gen.yaml");
        REQUIRE(parsed.ok());
        testing::KernelLab lab;
        std::string script = "set -e\n";
        for (const auto& e : parsed.topology.edits) {
            EditOp op = e.op;
            // A pair is created straight in its namespaces (`ip link add A netns X type veth
            // peer name B netns Y`); run it from X, which the lab allows, to the same end.
            if (auto* add = std::get_if<LinkAdd>(&op); add && add->ns.empty() && add->netns && add->peer_netns) {
                add->ns = *add->netns;
                add->netns.reset();
            }
            REQUIRE(lab.localize(op));
            script += format_command(op) + "\n";
        }
        auto built = testing::run_shell(script);
        INFO(built.err);
        REQUIRE(built.status == 0);
        Applied applied = apply_all(parsed.topology);
        REQUIRE(applied.errors.empty());
        testing::wait_for_kernel(lab, applied.state);
        std::string pings;
        for (const auto& p : sim::all_pairs(applied.state))
            if (p.ns != analysis::kSwitchNs)  // the bridge's namespace has no address to ping from
                pings += "ip netns exec " + lab.real(p.ns) + " ping -c 1 -W 2 -q " + p.dst.str() +
                         " >/dev/null 2>&1 || echo '" + p.ns + " -> " + p.dst.str() + "'\n";
        auto r = testing::run_shell(pings);
        CHECK(r.out == "");  // the probes that got no reply
    }
}
