#include "analysis/layout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

// GCC 12 warns that iterators inside Boost's johnson_all_pairs_shortest_paths (which the
// Kamada-Kawai layout runs) "may be used uninitialized": a false positive in Boost's code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/topology.hpp>

namespace vethlab::analysis {
namespace {

using Simple = boost::adjacency_list<boost::setS, boost::vecS, boost::undirectedS>;
using Topo = boost::square_topology<>;
constexpr size_t kSpringLimit = 300;

// One connected group: its vertices (global indexes) and its simple graph (local indexes).
struct Group {
    std::vector<size_t> vertices;
    std::vector<Point> local;  // placed in [0, width] x [0, height]
    double width = 0, height = 0;
};

// Kamada-Kawai's own tolerance, plus a bound on its steps: on very symmetric graphs (a
// ring, a full mesh) the energy can keep oscillating and the layout never settles.
class Settled {
public:
    explicit Settled(size_t n) : budget_(200 * n + 2000) {}
    template <class Graph>
    bool operator()(double delta_p, typename boost::graph_traits<Graph>::vertex_descriptor p, const Graph& g,
                    bool global) {
        if (budget_ == 0) return true;
        --budget_;
        return tolerance_(delta_p, p, g, global);
    }

private:
    size_t budget_;
    boost::layout_tolerance<double> tolerance_{1e-4};
};

// Positions for a connected simple graph, scaled so a pair is about `spacing` long; a
// full mesh on a circle.
std::vector<Point> place(const Simple& g, double spacing) {
    const size_t n = boost::num_vertices(g);
    if (n == 1) return {Point{}};
    std::vector<Topo::point_type> pos(n);
    auto pmap = boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g));
    boost::circle_graph_layout(g, pmap, spacing * double(n) / (2 * M_PI));
    const bool complete = boost::num_edges(g) == n * (n - 1) / 2;  // a circle is its best picture
    if (n > 2 && n <= kSpringLimit && !complete) {
        auto unit = boost::make_constant_property<boost::graph_traits<Simple>::edge_descriptor>(1.0);
        if (!boost::kamada_kawai_spring_layout(g, pmap, unit, Topo(), boost::edge_length(spacing), Settled(n)))
            boost::circle_graph_layout(g, pmap, spacing * double(n) / (2 * M_PI));
    }
    std::vector<Point> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = {pos[i][0], pos[i][1]};
    return out;
}

void normalise(Group& grp) {
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const auto& p : grp.local) {
        x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x), y1 = std::max(y1, p.y);
    }
    for (auto& p : grp.local) p = {p.x - x0, p.y - y0};
    grp.width = x1 - x0;
    grp.height = y1 - y0;
}

std::vector<Group> groups_of(const TopologyGraph& tg, double spacing) {
    const auto& names = tg.namespaces();
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < names.size(); ++i) index.emplace(names[i], i);
    Simple all(names.size());
    for (const auto& e : tg.edges())
        if (e.ns_a != e.ns_b) boost::add_edge(index.at(e.ns_a), index.at(e.ns_b), all);
    std::vector<int> comp(names.size());
    const int count = names.empty() ? 0 : boost::connected_components(all, comp.data());
    std::vector<Group> groups(static_cast<size_t>(count));
    std::vector<size_t> local(names.size());
    for (size_t v = 0; v < names.size(); ++v) {
        local[v] = groups[size_t(comp[v])].vertices.size();
        groups[size_t(comp[v])].vertices.push_back(v);
    }
    for (auto& grp : groups) {
        Simple g(grp.vertices.size());
        for (size_t v : grp.vertices)
            for (auto [a, b] = boost::adjacent_vertices(v, all); a != b; ++a)
                if (v < *a) boost::add_edge(local[v], local[*a], g);
        grp.local = place(g, spacing);
        normalise(grp);
    }
    std::stable_sort(groups.begin(), groups.end(),
                     [](const Group& a, const Group& b) { return a.vertices.size() > b.vertices.size(); });
    return groups;
}

}  // namespace

Layout layout_graph(const TopologyGraph& graph, double spacing) {
    Layout out;
    out.position.resize(graph.vertex_count());
    const auto groups = groups_of(graph, spacing);
    double area = 0;
    for (const auto& g : groups) area += (g.width + spacing) * (g.height + spacing);
    const double row_limit = std::max(groups.empty() ? 0.0 : groups.front().width, std::sqrt(area) * 1.3);
    double x = 0, y = 0, row_height = 0;
    for (const auto& g : groups) {  // shelves, left to right
        if (x > 0 && x + g.width > row_limit) {
            x = 0;
            y += row_height + spacing;
            row_height = 0;
        }
        for (size_t i = 0; i < g.vertices.size(); ++i)
            out.position[g.vertices[i]] = {x + g.local[i].x, y + g.local[i].y};
        out.width = std::max(out.width, x + g.width);
        out.height = std::max(out.height, y + g.height);
        row_height = std::max(row_height, g.height);
        x += g.width + spacing;
    }
    return out;
}

}  // namespace vethlab::analysis
