#pragma once
// The graph view of a topology: namespaces as vertices, veth pairs as edges. Built on a
// Boost.Graph adjacency_list that stays inside model/; analysis/ sees this small API.
#include <memory>
#include <string>
#include <vector>

#include "model/netstate.hpp"

namespace vethlab {

struct VethEdge {
    std::string ns_a, if_a;  // the end with the smaller (namespace, name)
    std::string ns_b, if_b;
};

class TopologyGraph {
public:
    // Every namespace except the initial one, which joins only if a veth end is there.
    explicit TopologyGraph(const NetState& state);
    // Straight from a list of namespaces and veth pairs (no NetState: a generated plan
    // with millions of pairs). Each edge's ends must be listed namespaces; both lists
    // are sorted here, and each edge's ends ordered as above.
    TopologyGraph(std::vector<std::string> namespaces, std::vector<VethEdge> edges);
    ~TopologyGraph();
    TopologyGraph(TopologyGraph&&) noexcept;
    TopologyGraph& operator=(TopologyGraph&&) noexcept;

    size_t vertex_count() const;
    size_t edge_count() const;
    const std::vector<std::string>& namespaces() const;  // sorted
    const std::vector<VethEdge>& edges() const;          // sorted
    std::vector<std::string> neighbours(const std::string& ns) const;  // sorted, once each
    size_t degree(const std::string& ns) const;  // veth ends in ns (a pair within ns counts 2)
    size_t connected_components() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vethlab
