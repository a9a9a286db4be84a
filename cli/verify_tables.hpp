#pragma once
// The tables of a namespace on the kernel against the simulator's after the same
// edits: routes of the main and local tables (as `ip route` prints them) and each
// link's UP and LOWER_UP flags. One line per difference.
#include <string>
#include <vector>

#include "backend/netns_query.hpp"
#include "model/netstate.hpp"
#include "sim/neighbor.hpp"

namespace vethlab::cli {

std::vector<std::string> compare_tables(backend::NetnsQuery& kernel, const NetState& state, const std::string& ns);

// The neighbour caches after the same probes: each entry's state, kernel against twin.
std::vector<std::string> compare_neighbours(backend::NetnsQuery& kernel, const NetState& state,
                                            const std::vector<sim::NeighborEntry>& twin, const std::string& ns);

}  // namespace vethlab::cli
