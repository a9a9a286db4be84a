#include "analysis/graph_metrics.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>

namespace vethlab::analysis {
namespace {

using EdgeIndex = boost::property<boost::edge_index_t, size_t>;
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property, EdgeIndex>;

// The simple graph under the topology: one Boost edge per two namespaces joined by at
// least one pair (Boost's biconnected_components is not safe with parallel edges), each
// remembering its pairs.
struct Indexed {
    Graph g;
    std::vector<std::vector<size_t>> pairs_of;  // Boost edge index -> indexes in TopologyGraph::edges()
    size_t loops = 0;
};

Indexed index_graph(const TopologyGraph& tg) {
    Indexed out{Graph(tg.vertex_count()), {}, 0};
    std::unordered_map<std::string, size_t> vertex;
    const auto& names = tg.namespaces();
    for (size_t i = 0; i < names.size(); ++i) vertex.emplace(names[i], i);
    std::map<std::pair<size_t, size_t>, size_t> edge_of;
    const auto& edges = tg.edges();
    for (size_t k = 0; k < edges.size(); ++k) {
        const size_t a = vertex.at(edges[k].ns_a), b = vertex.at(edges[k].ns_b);
        if (a == b) {
            ++out.loops;
            continue;
        }
        auto [it, fresh] = edge_of.try_emplace({std::min(a, b), std::max(a, b)}, out.pairs_of.size());
        if (fresh) {
            boost::add_edge(a, b, EdgeIndex(out.pairs_of.size()), out.g);
            out.pairs_of.emplace_back();
        }
        out.pairs_of[it->second].push_back(k);
    }
    return out;
}

// The most hops from v to any namespace it reaches.
size_t eccentricity(const Graph& g, size_t v) {
    std::vector<size_t> dist(boost::num_vertices(g), 0);
    boost::breadth_first_search(
        g, v, boost::visitor(boost::make_bfs_visitor(boost::record_distances(dist.data(), boost::on_tree_edge()))));
    return *std::max_element(dist.begin(), dist.end());
}

void add_components(const Indexed& ix, const TopologyGraph& tg, GraphMetrics& m) {
    const size_t n = boost::num_vertices(ix.g);
    std::vector<int> comp(n);
    const int count = n ? boost::connected_components(ix.g, comp.data()) : 0;
    m.components.resize(size_t(count));
    for (size_t v = 0; v < n; ++v) {  // names are sorted, so each component's are too
        Component& c = m.components[size_t(comp[v])];
        c.namespaces.push_back(tg.namespaces()[v]);
        c.diameter = std::max(c.diameter, eccentricity(ix.g, v));
    }
    for (const auto& e : tg.edges()) {
        const auto it = std::lower_bound(tg.namespaces().begin(), tg.namespaces().end(), e.ns_a);
        ++m.components[size_t(comp[size_t(it - tg.namespaces().begin())])].veth_pairs;
    }
    std::sort(m.components.begin(), m.components.end(),
              [](const Component& x, const Component& y) { return x.namespaces.front() < y.namespaces.front(); });
    for (const auto& c : m.components) m.diameter = std::max(m.diameter, c.diameter);
}

void add_cut_points(const Indexed& ix, const TopologyGraph& tg, GraphMetrics& m) {
    if (boost::num_edges(ix.g) == 0) return;
    std::vector<size_t> bicomp(boost::num_edges(ix.g));
    auto edge_index = boost::get(boost::edge_index, ix.g);
    std::vector<size_t> cut;
    const size_t count =
        boost::biconnected_components(ix.g, boost::make_iterator_property_map(bicomp.begin(), edge_index),
                                      std::back_inserter(cut))
            .first;
    for (size_t v : cut) m.articulation_points.push_back(tg.namespaces()[v]);
    std::sort(m.articulation_points.begin(), m.articulation_points.end());
    // A block of one edge is a bridge, unless that edge stands for parallel pairs.
    std::vector<size_t> edges_in(count, 0);
    for (size_t c : bicomp) ++edges_in[c];
    std::vector<size_t> bridge_pairs;
    for (size_t e = 0; e < bicomp.size(); ++e)
        if (edges_in[bicomp[e]] == 1 && ix.pairs_of[e].size() == 1) bridge_pairs.push_back(ix.pairs_of[e][0]);
    std::sort(bridge_pairs.begin(), bridge_pairs.end());  // tg.edges() is sorted
    for (size_t k : bridge_pairs) m.bridges.push_back(tg.edges()[k]);
}

}  // namespace

GraphMetrics analyze_graph(const TopologyGraph& graph) {
    GraphMetrics m;
    m.namespaces = graph.vertex_count();
    m.veth_pairs = graph.edge_count();
    const Indexed ix = index_graph(graph);
    m.loops = ix.loops;
    add_components(ix, graph, m);
    add_cut_points(ix, graph, m);
    for (const auto& ns : graph.namespaces()) ++m.degrees[graph.degree(ns)];
    return m;
}

}  // namespace vethlab::analysis
