// The closed forms of analysis/link_counts against the graphs of generated topologies.
#include <catch2/catch.hpp>

#include <set>

#include "analysis/generators.hpp"
#include "analysis/link_counts.hpp"

using namespace vethlab;
using analysis::Shape;

namespace {

constexpr uint64_t kMaxN = 2000;

analysis::Plan bare(Shape shape, uint64_t n) {  // links and addresses: what is counted
    auto plan = analysis::generate(shape, n, {*Prefix::parse("10.0.0.0/8"), 30, false});
    REQUIRE(plan);
    return std::move(plan).value();
}

// The counts read off a plan's graph (pairs, veth ends) and off its addressing plan.
analysis::LinkCounts counted(const analysis::Plan& plan, const TopologyGraph& g) {
    analysis::LinkCounts c;
    c.veth_pairs = g.edge_count();
    for (const auto& ns : g.namespaces()) c.interfaces += g.degree(ns);
    for (const auto& v : plan.veths) c.addresses += (v.addr_a.len() > 0) + (v.addr_b.len() > 0);
    return c;
}

void check_agree(Shape shape, uint64_t n) {
    const auto plan = bare(shape, n);
    const TopologyGraph g = analysis::plan_graph(plan);
    const auto expected = analysis::link_counts(shape, n);
    const auto got = counted(plan, g);
    INFO(analysis::to_string(shape) << " n=" << n);
    REQUIRE(g.vertex_count() == n);
    REQUIRE(got.veth_pairs == expected.veth_pairs);
    REQUIRE(got.interfaces == expected.interfaces);
    REQUIRE(got.addresses == expected.addresses);
    REQUIRE(g.connected_components() == 1);
}

}  // namespace

TEST_CASE("link counts per shape", "[analysis]") {
    CHECK(analysis::link_counts(Shape::mesh, 1000).veth_pairs == 499500);
    CHECK(analysis::link_counts(Shape::mesh, 4).interfaces == 12);
    CHECK(analysis::link_counts(Shape::bridge, 4).veth_pairs == 4);
    CHECK(analysis::link_counts(Shape::bridge, 4).interfaces == 9);
    CHECK(analysis::link_counts(Shape::ring, 5).veth_pairs == 5);
    CHECK(analysis::link_counts(Shape::ring, 2).veth_pairs == 1);
    CHECK(analysis::link_counts(Shape::line, 5).veth_pairs == 4);
    CHECK(analysis::link_counts(Shape::mesh, 0).veth_pairs == 0);
    CHECK(analysis::link_counts(Shape::mesh, 2000).veth_pairs == 1999000);
    CHECK(analysis::link_counts(Shape::mesh, 2000).interfaces == 3998000);
    CHECK(analysis::link_counts(Shape::mesh, 2000).addresses == 3998000);
    CHECK(analysis::link_counts(Shape::bridge, 50).interfaces == 101);
    CHECK(analysis::link_counts(Shape::bridge, 50).addresses == 50);
    CHECK(analysis::link_counts(Shape::ring, 3).veth_pairs == 3);
    CHECK(analysis::link_counts(Shape::star, 1).veth_pairs == 0);
    CHECK(analysis::shape_from("ring") == Shape::ring);
    CHECK_FALSE(analysis::shape_from("tree"));
}

TEST_CASE("link counts: ring, line and star graphs agree with the closed forms, n = 1..2000", "[analysis][counts]") {
    for (Shape shape : {Shape::ring, Shape::line, Shape::star})
        for (uint64_t n = 1; n <= kMaxN; ++n) check_agree(shape, n);
}

TEST_CASE("link counts: mesh graphs agree with n(n-1)/2 for every n up to 2000", "[analysis][counts]") {
    // Every mesh up to 2000 built on its own is 1.3 billion edges: instead, whole graphs
    // for the small n and a few large ones, and every n as a prefix of the mesh of 2000
    // (the mesh of n is the mesh of 2000 restricted to ns0..ns{n-1}, checked on the
    // large ones), read off the Boost graph's adjacency.
    for (uint64_t n = 1; n <= 64; ++n) check_agree(Shape::mesh, n);
    for (uint64_t n : {100, 250, 500}) check_agree(Shape::mesh, n);

    const auto plan = bare(Shape::mesh, kMaxN);
    for (uint64_t n : {100, 500}) {  // the mesh of n is the mesh of 2000 restricted to ns0..ns{n-1}
        // Names are padded to the width of n - 1: compare by number.
        auto index = [](const std::string& ns) { return std::stoull(ns.substr(2)); };
        auto ends = [&](const analysis::PlannedVeth& v) { return std::make_pair(index(v.ns_a), index(v.ns_b)); };
        std::set<std::pair<uint64_t, uint64_t>> small, restricted;
        for (const auto& v : bare(Shape::mesh, n).veths) small.insert(ends(v));
        for (const auto& v : plan.veths)
            if (index(v.ns_a) < n && index(v.ns_b) < n) restricted.insert(ends(v));
        CHECK(small == restricted);
    }
    const TopologyGraph g = analysis::plan_graph(plan);
    REQUIRE(g.edge_count() == analysis::link_counts(Shape::mesh, kMaxN).veth_pairs);
    uint64_t pairs = 0, ends = 0;
    for (uint64_t n = 1; n <= kMaxN; ++n) {  // add ns{n-1} and its pairs to lower namespaces
        const std::string& added = plan.namespaces[n - 1].name;
        uint64_t lower = 0;
        for (const auto& peer : g.neighbours(added)) lower += std::stoull(peer.substr(2)) < n - 1;
        pairs += lower;
        ends += 2 * lower;
        const auto expected = analysis::link_counts(Shape::mesh, n);
        INFO("mesh n=" << n);
        REQUIRE(pairs == expected.veth_pairs);
        REQUIRE(ends == expected.interfaces);
        REQUIRE(g.degree(added) == kMaxN - 1);
    }
}
