#include <catch2/catch.hpp>

#include "analysis/link_counts.hpp"
#include "model/dot_writer.hpp"
#include "model/graph.hpp"

using namespace vethlab;

namespace {

// n namespaces, every pair joined by a veth created directly in both namespaces.
NetState full_mesh(int n) {
    NetState st;
    for (int i = 0; i < n; ++i) REQUIRE_FALSE(st.apply(NetnsAdd{"n" + std::to_string(i)}));
    for (int i = 0; i < n; ++i)
        for (int j = i + 1; j < n; ++j)
            REQUIRE_FALSE(st.apply(LinkAdd{.ns = "n" + std::to_string(i),
                                           .name = "to" + std::to_string(j),
                                           .kind = LinkKind::veth,
                                           .peer = "to" + std::to_string(i),
                                           .peer_netns = "n" + std::to_string(j)}));
    return st;
}

}  // namespace

TEST_CASE("graph: a full mesh of n namespaces has n(n-1)/2 veth edges", "[graph]") {
    for (int n : {1, 2, 3, 5, 8}) {
        TopologyGraph g(full_mesh(n));
        CHECK(g.vertex_count() == size_t(n));
        CHECK(g.edge_count() == analysis::link_counts(analysis::Shape::mesh, n).veth_pairs);
        CHECK(g.degree("n0") == size_t(n - 1));
        CHECK(g.connected_components() == 1);
    }
}

TEST_CASE("graph: neighbours, edges in order, the host only when it holds a veth end", "[graph]") {
    NetState st = full_mesh(3);
    REQUIRE_FALSE(st.apply(NetnsAdd{"lonely"}));
    TopologyGraph g(st);
    CHECK(g.namespaces() == std::vector<std::string>{"lonely", "n0", "n1", "n2"});
    CHECK(g.neighbours("n1") == std::vector<std::string>{"n0", "n2"});
    CHECK(g.neighbours("lonely").empty());
    CHECK(g.connected_components() == 2);
    REQUIRE(g.edges().size() == 3);
    CHECK(g.edges()[0].ns_a == "n0");
    CHECK(g.edges()[0].if_a == "to1");
    CHECK(g.edges()[0].ns_b == "n1");
    CHECK(g.edges()[0].if_b == "to0");
    REQUIRE_FALSE(st.apply(LinkAdd{.ns = "", .name = "h0", .kind = LinkKind::veth, .peer = "h1", .peer_netns = "lonely"}));
    CHECK(TopologyGraph(st).vertex_count() == 5);
}

TEST_CASE("dot: namespaces as nodes, veth pairs as edges, dashed without carrier", "[graph]") {
    NetState st = full_mesh(2);
    const std::string dot = write_dot(st, "t");
    CHECK(dot.find("\"n0\" -- \"n1\" [taillabel=\"to1\\n(down)\", headlabel=\"to0\\n(down)\", style=dashed];") !=
          std::string::npos);
    CHECK(dot.find("\"n0\" [label=\"n0\\nlo (down)\"];") != std::string::npos);
}
