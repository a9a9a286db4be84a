#pragma once
// Topology generators: n namespaces as a full mesh, a ring, a line or a star, one /30 (or
// /31) per veth pair, and -- unless asked not to -- the routes and forwarding with which
// every namespace reaches every address of the plan (checked by the simulator's reach).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/link_counts.hpp"
#include "model/graph.hpp"
#include "model/ipv4.hpp"
#include "model/result.hpp"

namespace vethlab::analysis {

struct GenOptions {
    Prefix pool{Ipv4(10, 0, 0, 0), 8};
    int subnet_len = 30;  // or 31
    bool routes = true;   // false: links and addresses only (each namespace reaches its peers)
};

struct PlannedVeth {
    std::string ns_a, if_a;
    IfAddr addr_a;  // bridge: none (end a is a port of br0 in the switch namespace)
    std::string ns_b, if_b;
    IfAddr addr_b;
};

struct PlannedRoute {
    Prefix dst;
    Ipv4 via;
};

struct PlannedNamespace {
    std::string name;
    std::vector<PlannedRoute> routes;
    bool forwarding = false;
};

struct Plan {
    Shape shape = Shape::mesh;
    uint64_t n = 0;
    GenOptions options;
    std::vector<PlannedNamespace> namespaces;  // ns0 .. ns{n-1} (bridge: and first the switch)
    std::vector<PlannedVeth> veths;            // veth k has the k-th subnet
};

// Namespaces ns0..ns{n-1}, zero-padded to one width (ns00..ns11 for n = 12) so that they
// sort as numbers do; the interface in nsI facing nsJ is "to-nsJ".
//   mesh: pair (i, j) for every i < j, in that order; with routes, nsI reaches the subnets
//         of nsJ's block (pairs (j, k > j)) through nsJ, which forwards.
//   line: pairs (k, k+1); routes to the subnets on either side through the neighbour.
//   ring: the line plus (n-1, 0) for n >= 3; each subnet is routed the shorter way round.
//   star: ns0 is the hub, pairs (0, k); leaves route the other leaves' subnets via the hub.
//   bridge: a namespace "switch" holding the bridge br0, and in nsI the end "eth0" of a
//         pair whose other end, "to-nsI", is a port of br0; the hosts share one subnet,
//         the smallest at the start of the pool that holds n hosts (no routes needed).
// n >= 1.
Result<Plan> generate(Shape shape, uint64_t n, const GenOptions& options);

// The plan as a YAML topology (docs/topology-format.md), with a comment saying what it is.
std::string plan_yaml(const Plan& plan);

inline constexpr const char* kSwitchNs = "switch";
inline constexpr const char* kBridgeName = "br0";

// The plan's graph, built straight from its namespaces and pairs.
TopologyGraph plan_graph(const Plan& plan);

}  // namespace vethlab::analysis
