#pragma once
// A neighbour (ARP) entry as `ip neigh` shows it (include/net/neighbour.h NUD_* states).
#include <optional>

#include "model/ipv4.hpp"
#include "model/mac.hpp"

namespace vethlab::sim {

enum class NudState { incomplete, reachable, stale, delay, probe, failed, noarp, permanent };
std::string_view to_string(NudState s);  // "INCOMPLETE", "REACHABLE", ... as ip prints them

struct NeighborEntry {
    Ipv4 ip;
    int ifindex = 0;
    std::optional<Mac> mac;  // none while INCOMPLETE / FAILED
    NudState state = NudState::incomplete;
    bool router = false;
};

}  // namespace vethlab::sim
