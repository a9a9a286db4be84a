// Drawings of topologies read back: every namespace once, every veth pair once.
#include <catch2/catch.hpp>

#include <set>

#include "analysis/generators.hpp"
#include "analysis/layout.hpp"
#include "analysis/topology_svg.hpp"
#include "model/yaml_reader.hpp"
#include "xml_doc.hpp"

using namespace vethlab;
using vethlab::testing::parse_xml;

namespace {

NetState built(const std::string& yaml) {
    Parsed parsed = parse_yaml_topology(yaml, "t.yaml");
    REQUIRE(parsed.ok());
    Applied applied = apply_all(parsed.topology);
    REQUIRE(applied.errors.empty());
    return std::move(applied.state);
}

void check_drawing(const NetState& st) {
    const TopologyGraph g(st);
    const auto doc = parse_xml(analysis::topology_svg(st, "t.yaml"));
    INFO(doc.error);
    REQUIRE(doc.root);
    std::multiset<std::string> drawn_ns, drawn_pairs, want_pairs;
    for (const auto* n : doc.root->find_all("g", "namespace")) drawn_ns.insert(n->attr("data-name"));
    for (const auto* v : doc.root->find_all("g", "veth")) drawn_pairs.insert(v->attr("data-a") + " " + v->attr("data-b"));
    for (const auto& e : g.edges()) want_pairs.insert(e.ns_a + ":" + e.if_a + " " + e.ns_b + ":" + e.if_b);
    CHECK(drawn_ns == std::multiset<std::string>(g.namespaces().begin(), g.namespaces().end()));
    CHECK(drawn_pairs == want_pairs);
    for (const auto* c : doc.root->find_all("circle")) {  // inside the picture
        CHECK(c->number("cx") >= 0);
        CHECK(c->number("cy") >= 0);
        CHECK(c->number("cx") <= doc.root->number("width"));
        CHECK(c->number("cy") <= doc.root->number("height"));
    }
}

}  // namespace

TEST_CASE("drawing: generated shapes, each namespace and pair once", "[analysis][svg]") {
    for (auto shape : {analysis::Shape::mesh, analysis::Shape::ring, analysis::Shape::line, analysis::Shape::star})
        for (uint64_t n : {1, 2, 5, 12}) {
            INFO(analysis::to_string(shape) << " " << n);
            check_drawing(built(analysis::plan_yaml(*analysis::generate(shape, n, {}))));
        }
}

TEST_CASE("drawing: parallel pairs, a pair within a namespace, separate groups", "[analysis][svg]") {
    const NetState st = built("namespaces: [a, b, c, d, 'e&f']\n"
                              "veths:\n"
                              "  - a:v1 10.0.0.1/30 -- b:v1 10.0.0.2/30\n"
                              "  - a:v2 -- b:v2\n"
                              "  - c:x -- c:y\n"
                              "  - c:z -- d:z\n");
    check_drawing(st);
    const std::string svg = analysis::topology_svg(st, "t.yaml");
    CHECK(svg.find(">v1</tspan><tspan x=") != std::string::npos);  // small: ends are labelled
    CHECK(svg.find("<title>a:v1 10.0.0.1/30 -- b:v1 10.0.0.2/30</title>") != std::string::npos);
    CHECK(svg.find("e&amp;f") != std::string::npos);
}

TEST_CASE("layout: separate groups do not overlap", "[analysis][svg]") {
    std::vector<VethEdge> edges{{"a", "1", "b", "1"}, {"b", "2", "c", "2"}, {"c", "3", "a", "3"}, {"d", "1", "e", "1"}};
    const TopologyGraph g({"a", "b", "c", "d", "e", "f"}, edges);
    const auto layout = analysis::layout_graph(g, 100);
    REQUIRE(layout.position.size() == 6);
    for (size_t i = 0; i < 6; ++i)
        for (size_t j = i + 1; j < 6; ++j) {
            const double d = std::hypot(layout.position[i].x - layout.position[j].x,
                                        layout.position[i].y - layout.position[j].y);
            CHECK(d > 30);
        }
}
