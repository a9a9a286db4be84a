#include "model/graph.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

namespace vethlab {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

struct TopologyGraph::Impl {
    BoostGraph g;
    std::vector<std::string> names;
    std::unordered_map<std::string, size_t> index;
    std::vector<VethEdge> edges;

    void sort_edges() {
        auto less = [](const VethEdge& x, const VethEdge& y) {
            return std::tie(x.ns_a, x.if_a, x.ns_b, x.if_b) < std::tie(y.ns_a, y.if_a, y.ns_b, y.if_b);
        };
        if (!std::is_sorted(edges.begin(), edges.end(), less)) std::sort(edges.begin(), edges.end(), less);
    }
    void build() {  // names sorted, edges sorted and named by listed namespaces
        index.reserve(names.size());
        for (size_t i = 0; i < names.size(); ++i) index.emplace(names[i], i);
        g = BoostGraph(names.size());
        for (const auto& e : edges) boost::add_edge(index.at(e.ns_a), index.at(e.ns_b), g);
    }
};

TopologyGraph::TopologyGraph(const NetState& state) : impl_(std::make_unique<Impl>()) {
    for (const auto& [name, ns] : state.namespaces()) {
        for (const auto& link : ns.links) {
            if (link.kind != LinkKind::veth) continue;
            auto peer = state.peer(ns, link);
            if (!peer) continue;
            VethEdge e{name, link.name, peer->first->name, peer->second->name};
            if (std::tie(e.ns_a, e.if_a) > std::tie(e.ns_b, e.if_b)) {
                std::swap(e.ns_a, e.ns_b);
                std::swap(e.if_a, e.if_b);
            }
            if (std::tie(e.ns_a, e.if_a) == std::tie(name, link.name)) impl_->edges.push_back(e);
        }
    }
    impl_->sort_edges();
    for (const auto& entry : state.namespaces()) {
        const std::string& name = entry.first;  // a plain reference: clang 14 cannot capture a binding
        const bool host_with_veth = std::any_of(impl_->edges.begin(), impl_->edges.end(), [&](const VethEdge& e) {
            return e.ns_a == name || e.ns_b == name;
        });
        if (!name.empty() || host_with_veth) impl_->names.push_back(name);
    }
    impl_->build();
}

TopologyGraph::TopologyGraph(std::vector<std::string> namespaces, std::vector<VethEdge> edges)
    : impl_(std::make_unique<Impl>()) {
    for (auto& e : edges)
        if (std::tie(e.ns_a, e.if_a) > std::tie(e.ns_b, e.if_b)) {
            std::swap(e.ns_a, e.ns_b);
            std::swap(e.if_a, e.if_b);
        }
    std::sort(namespaces.begin(), namespaces.end());
    impl_->names = std::move(namespaces);
    impl_->edges = std::move(edges);
    impl_->sort_edges();
    impl_->build();
}

TopologyGraph::~TopologyGraph() = default;
TopologyGraph::TopologyGraph(TopologyGraph&&) noexcept = default;
TopologyGraph& TopologyGraph::operator=(TopologyGraph&&) noexcept = default;

size_t TopologyGraph::vertex_count() const { return boost::num_vertices(impl_->g); }
size_t TopologyGraph::edge_count() const { return boost::num_edges(impl_->g); }
const std::vector<std::string>& TopologyGraph::namespaces() const { return impl_->names; }
const std::vector<VethEdge>& TopologyGraph::edges() const { return impl_->edges; }

std::vector<std::string> TopologyGraph::neighbours(const std::string& ns) const {
    std::vector<std::string> out;
    auto it = impl_->index.find(ns);
    if (it == impl_->index.end()) return out;
    for (auto [a, b] = boost::adjacent_vertices(it->second, impl_->g); a != b; ++a)
        out.push_back(impl_->names[*a]);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

size_t TopologyGraph::degree(const std::string& ns) const {
    auto it = impl_->index.find(ns);
    return it == impl_->index.end() ? 0 : boost::degree(it->second, impl_->g);
}

size_t TopologyGraph::connected_components() const {
    if (vertex_count() == 0) return 0;
    std::vector<int> component(vertex_count());
    return size_t(boost::connected_components(impl_->g, component.data()));
}

}  // namespace vethlab
