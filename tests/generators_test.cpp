// Generated topologies: what they hold, that they parse, build without a refusal, and
// that every namespace reaches every address of the plan in the simulator.
#include <catch2/catch.hpp>

#include "analysis/generators.hpp"
#include "model/yaml_reader.hpp"
#include "sim/reach.hpp"

using namespace vethlab;
using analysis::Shape;

namespace {

analysis::Plan gen(Shape shape, uint64_t n, int len = 30, bool routes = true) {
    auto plan = analysis::generate(shape, n, {*Prefix::parse("10.0.0.0/16"), len, routes});
    REQUIRE(plan);
    return *plan;
}

NetState build(const analysis::Plan& plan) {
    const std::string yaml = analysis::plan_yaml(plan);
    Parsed parsed = parse_yaml_topology(yaml, "gen.yaml");
    INFO(yaml);
    for (const auto& d : parsed.errors) INFO(d.str());
    REQUIRE(parsed.ok());
    Applied applied = apply_all(parsed.topology);
    for (const auto& d : applied.errors) INFO(d.str());
    REQUIRE(applied.errors.empty());
    return std::move(applied.state);
}

// Every probe's outcome that is not a reply, as "from -> to: outcome".
std::vector<std::string> failures(const NetState& st, const std::vector<sim::Probe>& probes) {
    sim::Kernel kernel(st);
    std::vector<std::string> out;
    for (const auto& r : sim::run_probes(kernel, probes))
        if (r.outcome != sim::Outcome::reply)
            out.push_back(r.probe.ns + " -> " + r.probe.dst.str() + ": " + std::string(sim::to_string(r.outcome)));
    return out;
}

}  // namespace

TEST_CASE("gen: a line of three is the router example, addresses in order", "[analysis][gen]") {
    CHECK(analysis::plan_yaml(gen(Shape::line, 3)) ==
          "# vethlab gen line 3: 3 namespaces, 2 veth pairs, one /30 each from 10.0.0.0/16.\n"
          "# Each namespace routes the subnets on either side through its neighbour there, which forwards.\n"
          "namespaces:\n"
          "  ns0:\n"
          "    lo: up\n"
          "    routes:\n"
          "      - 10.0.0.4/30 via 10.0.0.2\n"
          "  ns1:\n"
          "    lo: up\n"
          "    sysctl: {net.ipv4.ip_forward: 1}\n"
          "  ns2:\n"
          "    lo: up\n"
          "    routes:\n"
          "      - 10.0.0.0/30 via 10.0.0.5\n"
          "veths:\n"
          "  - ns0:to-ns1 10.0.0.1/30 -- ns1:to-ns0 10.0.0.2/30\n"
          "  - ns1:to-ns2 10.0.0.5/30 -- ns2:to-ns1 10.0.0.6/30\n");
}

TEST_CASE("gen: routes to a run of subnets are summarised", "[analysis][gen]") {
    const auto plan = gen(Shape::line, 10);
    // ns0 reaches pairs 1..8 (10.0.0.4 .. 10.0.0.35) in four prefixes.
    REQUIRE(plan.namespaces[0].routes.size() == 4);
    CHECK(plan.namespaces[0].routes[0].dst.str() == "10.0.0.4/30");
    CHECK(plan.namespaces[0].routes[1].dst.str() == "10.0.0.8/29");
    CHECK(plan.namespaces[0].routes[2].dst.str() == "10.0.0.16/28");
    CHECK(plan.namespaces[0].routes[3].dst.str() == "10.0.0.32/30");
    CHECK(plan.namespaces[9].forwarding == false);
    CHECK(plan.namespaces[5].forwarding == true);
}

TEST_CASE("gen: refusals say why", "[analysis][gen]") {
    CHECK_FALSE(analysis::generate(Shape::mesh, 0, {}));
    auto bridge = analysis::generate(Shape::bridge, 300, {*Prefix::parse("10.0.0.0/24"), 30, true});
    REQUIRE_FALSE(bridge);
    CHECK(bridge.error() == "300 hosts need a /23 but the pool 10.0.0.0/24 is smaller");
    auto small = analysis::generate(Shape::mesh, 20, {*Prefix::parse("10.0.0.0/24"), 30, true});
    REQUIRE_FALSE(small);
    CHECK(small.error() == "prefix 10.0.0.0/24 holds 64 /30 subnets; 190 are needed");
}

TEST_CASE("gen: every namespace reaches every address of the plan (simulator)", "[analysis][gen][sim]") {
    for (Shape shape : {Shape::mesh, Shape::ring, Shape::line, Shape::star})
        for (int len : {30, 31})
            for (uint64_t n : {1, 2, 3, 4, 5, 6, 7, 8}) {
                INFO(analysis::to_string(shape) << " n=" << n << " /" << len);
                const NetState st = build(gen(shape, n, len));
                const auto probes = sim::all_pairs(st);
                const size_t addresses = analysis::link_counts(shape, n).addresses;
                CHECK(probes.size() == n * addresses);
                CHECK(failures(st, probes) == std::vector<std::string>{});
            }
}

TEST_CASE("gen: bridge, n hosts in one subnet on br0 in the switch namespace", "[analysis][gen][bridge]") {
    const auto plan = gen(Shape::bridge, 6);
    CHECK(analysis::plan_yaml(plan) ==
          "# vethlab gen bridge 6: 6 hosts on the bridge br0 in namespace 'switch', one veth pair each,\n"
          "# one subnet (10.0.0.0/29); the switch namespace has no address.\n"
          "namespaces:\n  switch:\n    links:\n      br0: {kind: bridge}\n"
          "  ns0: {lo: up}\n  ns1: {lo: up}\n  ns2: {lo: up}\n  ns3: {lo: up}\n  ns4: {lo: up}\n  ns5: {lo: up}\n"
          "veths:\n"
          "  - a: {end: switch:to-ns0, master: br0}\n    b: ns0:eth0 10.0.0.1/29\n"
          "  - a: {end: switch:to-ns1, master: br0}\n    b: ns1:eth0 10.0.0.2/29\n"
          "  - a: {end: switch:to-ns2, master: br0}\n    b: ns2:eth0 10.0.0.3/29\n"
          "  - a: {end: switch:to-ns3, master: br0}\n    b: ns3:eth0 10.0.0.4/29\n"
          "  - a: {end: switch:to-ns4, master: br0}\n    b: ns4:eth0 10.0.0.5/29\n"
          "  - a: {end: switch:to-ns5, master: br0}\n    b: ns5:eth0 10.0.0.6/29\n");
    for (uint64_t n : {1, 2, 3, 7, 40}) {
        INFO("bridge n=" << n);
        const NetState st = build(gen(Shape::bridge, n));
        REQUIRE(st.ns("switch"));
        CHECK(st.ns("switch")->ports(*st.ns("switch")->link("br0")).size() == n);
        // Every host reaches every host (the switch has no address: it cannot ping).
        std::vector<sim::Probe> probes;
        for (const auto& p : sim::all_pairs(st))
            if (p.ns != "switch") probes.push_back(p);
        CHECK(probes.size() == n * n);
        CHECK(failures(st, probes) == std::vector<std::string>{});
    }
}

TEST_CASE("gen: longer rings and lines still reach end to end (simulator)", "[analysis][gen][sim]") {
    for (Shape shape : {Shape::ring, Shape::line})
        for (uint64_t n : {13, 16}) {
            INFO(analysis::to_string(shape) << " n=" << n);
            const NetState st = build(gen(shape, n));
            CHECK(failures(st, sim::all_pairs(st)) == std::vector<std::string>{});
        }
}

TEST_CASE("gen: without routes each namespace reaches its peers, and only them", "[analysis][gen][sim]") {
    const NetState st = build(gen(Shape::line, 4, 30, false));
    CHECK(failures(st, sim::peer_probes(st)).empty());
    CHECK_FALSE(failures(st, sim::all_pairs(st)).empty());
}

TEST_CASE("gen: the plan's graph is the built topology's graph", "[analysis][gen][graph]") {
    for (Shape shape : {Shape::mesh, Shape::ring, Shape::line, Shape::star}) {
        const auto plan = gen(shape, 6);
        const TopologyGraph direct = analysis::plan_graph(plan), built(build(plan));
        CHECK(direct.namespaces() == built.namespaces());
        REQUIRE(direct.edges().size() == built.edges().size());
        for (size_t i = 0; i < direct.edges().size(); ++i) {
            CHECK(direct.edges()[i].ns_a == built.edges()[i].ns_a);
            CHECK(direct.edges()[i].if_a == built.edges()[i].if_a);
            CHECK(direct.edges()[i].ns_b == built.edges()[i].ns_b);
            CHECK(direct.edges()[i].if_b == built.edges()[i].if_b);
        }
    }
}
