#pragma once
// Seeded random topologies for property tests: namespaces, veth pairs (also within one
// namespace), taps, dummies, a bridge with ports, addresses, link state, lo, routes and sysctls, emitted in
// the canonical order and kept only where the kernel rules accept them.
#include <cstdint>
#include <string>
#include <vector>

#include "model/netstate.hpp"
#include "model/topology.hpp"

namespace vethlab::testing {

Topology random_topology(uint64_t seed);

// Same namespaces, links (kind, state, mtu, addresses in order, peer, conf), routes
// (as ip route prints them, all tables) and sysctls. ifindex and unset MACs may differ.
// Returns "" when equivalent, else the first difference.
std::string state_difference(const NetState& a, const NetState& b);

}  // namespace vethlab::testing
