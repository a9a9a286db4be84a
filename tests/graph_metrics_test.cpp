// Graph metrics on hand-built graphs whose answers are known.
#include <catch2/catch.hpp>

#include "analysis/graph_metrics.hpp"

using namespace vethlab;
using analysis::analyze_graph;
using Names = std::vector<std::string>;

namespace {

// Namespaces and pairs "a-b" (a pair per entry; a repeated entry is a parallel pair).
TopologyGraph graph(Names namespaces, const Names& pairs) {
    std::vector<VethEdge> edges;
    for (size_t i = 0; i < pairs.size(); ++i) {
        const auto dash = pairs[i].find('-');
        edges.push_back({pairs[i].substr(0, dash), "v" + std::to_string(i) + "a", pairs[i].substr(dash + 1),
                         "v" + std::to_string(i) + "b"});
    }
    return TopologyGraph(std::move(namespaces), std::move(edges));
}

Names bridges(const analysis::GraphMetrics& m) {
    Names out;
    for (const auto& b : m.bridges) out.push_back(b.ns_a + "-" + b.ns_b);
    return out;
}

std::map<size_t, size_t> degrees(std::initializer_list<std::pair<const size_t, size_t>> d) { return d; }

}  // namespace

TEST_CASE("metrics: a path has every inner namespace and every pair as a cut", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"a", "b", "c", "d"}, {"a-b", "b-c", "c-d"}));
    CHECK(m.connected());
    CHECK(m.components.size() == 1);
    CHECK(m.articulation_points == Names{"b", "c"});
    CHECK(bridges(m) == Names{"a-b", "b-c", "c-d"});
    CHECK(m.diameter == 3);
    CHECK(m.degrees == degrees({{1, 2}, {2, 2}}));
}

TEST_CASE("metrics: a cycle has no cut at all", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"a", "b", "c", "d", "e"}, {"a-b", "b-c", "c-d", "d-e", "e-a"}));
    CHECK(m.articulation_points.empty());
    CHECK(m.bridges.empty());
    CHECK(m.diameter == 2);
    CHECK(m.degrees == degrees({{2, 5}}));
}

TEST_CASE("metrics: a star hangs on its hub", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"h", "l1", "l2", "l3", "l4"}, {"h-l1", "h-l2", "h-l3", "h-l4"}));
    CHECK(m.articulation_points == Names{"h"});
    CHECK(bridges(m) == Names{"h-l1", "h-l2", "h-l3", "h-l4"});
    CHECK(m.diameter == 2);
    CHECK(m.degrees == degrees({{1, 4}, {4, 1}}));
}

TEST_CASE("metrics: two triangles joined at a namespace split there, at no pair", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"a", "b", "c", "d", "x"}, {"a-b", "b-x", "x-a", "c-d", "d-x", "x-c"}));
    CHECK(m.articulation_points == Names{"x"});
    CHECK(m.bridges.empty());
    CHECK(m.diameter == 2);
    CHECK(m.degrees == degrees({{2, 4}, {4, 1}}));
}

TEST_CASE("metrics: groups that cannot reach each other", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"a", "b", "c", "d", "e", "f"}, {"a-b", "c-d", "d-e"}));
    CHECK_FALSE(m.connected());
    REQUIRE(m.components.size() == 3);
    CHECK(m.components[0].namespaces == Names{"a", "b"});
    CHECK(m.components[0].veth_pairs == 1);
    CHECK(m.components[0].diameter == 1);
    CHECK(m.components[1].namespaces == Names{"c", "d", "e"});
    CHECK(m.components[1].veth_pairs == 2);
    CHECK(m.components[1].diameter == 2);
    CHECK(m.components[2].namespaces == Names{"f"});
    CHECK(m.components[2].diameter == 0);
    CHECK(m.diameter == 2);
    CHECK(m.articulation_points == Names{"d"});
    CHECK(bridges(m) == Names{"a-b", "c-d", "d-e"});
    CHECK(m.degrees == degrees({{0, 1}, {1, 4}, {2, 1}}));
}

TEST_CASE("metrics: two pairs between the same namespaces back each other up", "[analysis][metrics]") {
    const auto twice = analyze_graph(graph({"a", "b"}, {"a-b", "a-b"}));
    CHECK(twice.veth_pairs == 2);
    CHECK(twice.bridges.empty());
    CHECK(twice.articulation_points.empty());
    CHECK(twice.diameter == 1);
    const auto m = analyze_graph(graph({"a", "b", "c"}, {"a-b", "a-b", "b-c"}));
    CHECK(bridges(m) == Names{"b-c"});
    CHECK(m.articulation_points == Names{"b"});
    CHECK(m.degrees == degrees({{1, 1}, {2, 1}, {3, 1}}));
}

TEST_CASE("metrics: a pair within one namespace splits nothing", "[analysis][metrics]") {
    const auto m = analyze_graph(graph({"a", "b"}, {"a-a", "a-b"}));
    CHECK(m.loops == 1);
    CHECK(m.veth_pairs == 2);
    CHECK(bridges(m) == Names{"a-b"});
    CHECK(m.articulation_points.empty());
    CHECK(m.degrees == degrees({{1, 1}, {3, 1}}));
}

TEST_CASE("metrics: one namespace, and none", "[analysis][metrics]") {
    const auto one = analyze_graph(graph({"a"}, {}));
    CHECK(one.connected());
    CHECK(one.components.size() == 1);
    CHECK(one.diameter == 0);
    CHECK(one.articulation_points.empty());
    CHECK(one.bridges.empty());
    CHECK(one.degrees == degrees({{0, 1}}));
    const auto none = analyze_graph(graph({}, {}));
    CHECK(none.components.empty());
    CHECK(none.namespaces == 0);
    CHECK(none.diameter == 0);
    CHECK(none.degrees.empty());
}
