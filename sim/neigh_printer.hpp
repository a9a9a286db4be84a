#pragma once
// What iproute2 6.1 `ip neigh show [dev X]` prints for a namespace's neighbour entries.
#include <optional>
#include <string>
#include <vector>

#include "model/netstate.hpp"
#include "sim/neighbor.hpp"

namespace vethlab::sim {

// One line per entry, in the order given (the kernel dumps its hash table, whose order
// depends on a random hash seed): "10.0.0.2 dev veth0 lladdr 02:00:00:00:00:02 REACHABLE "
// -- iproute2 ends each line with a space. NOARP entries are left out, as `ip neigh show`
// leaves them out unless `nud noarp`/`nud all` is given. lladdr is printed only for the
// states in which the kernel reports it (NUD_VALID: not INCOMPLETE, not FAILED).
// With dev (`ip neigh show dev X`): only X's entries, without the "dev X" word; a dev
// that does not exist gives ip's stderr line `Cannot find device "X"`.
std::string format_ip_neigh(const Namespace& ns, const std::vector<NeighborEntry>& entries,
                            const std::optional<std::string>& dev = std::nullopt);

}  // namespace vethlab::sim
