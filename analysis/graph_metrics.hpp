#pragma once
// What the shape of a topology says about it, on its graph (namespaces as vertices, veth
// pairs as edges): groups that can never reach each other over links, single namespaces
// and veth pairs whose loss splits a group, how many hops apart namespaces can be, and
// how many veth ends each namespace holds.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "model/graph.hpp"

namespace vethlab::analysis {

struct Component {
    std::vector<std::string> namespaces;  // sorted
    size_t veth_pairs = 0;
    size_t diameter = 0;  // the most hops between two of its namespaces
};

struct GraphMetrics {
    size_t namespaces = 0;
    size_t veth_pairs = 0;
    size_t loops = 0;                             // pairs with both ends in one namespace
    std::vector<Component> components;            // by first namespace
    std::vector<std::string> articulation_points; // sorted: namespaces whose loss splits their group
    std::vector<VethEdge> bridges;                // sorted: pairs whose loss splits their group
    size_t diameter = 0;                          // the largest component diameter
    std::map<size_t, size_t> degrees;             // veth ends in a namespace -> how many namespaces

    bool connected() const { return components.size() <= 1; }
};

// Two veth pairs between the same two namespaces back each other up: neither is a bridge.
// A pair within one namespace changes nothing about who reaches whom.
GraphMetrics analyze_graph(const TopologyGraph& graph);

}  // namespace vethlab::analysis
