#pragma once
// What `route -n` (net-tools) and `ip route show` (iproute2) print for a namespace.
#include <optional>
#include <string>

#include "model/netstate.hpp"

namespace vethlab::sim {

// net-tools `route -n`: the main table, header and one row per route.
std::string format_route_n(const Namespace& ns);
// One route as iproute2 prints it (without the trailing space of a table line).
std::string format_route(const NetState& state, const Namespace& ns, const Route& route);
// iproute2 `ip route show [table T]`: default table main.
std::string format_ip_route(const NetState& state, const Namespace& ns, uint32_t table = kTableMain);

}  // namespace vethlab::sim
