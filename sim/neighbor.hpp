#pragma once
// A neighbour (ARP) entry as `ip neigh` shows it (include/net/neighbour.h NUD_* states).
#include <cstdint>
#include <optional>

#include "model/ipv4.hpp"
#include "model/mac.hpp"

namespace vethlab::sim {

enum class NudState : uint8_t { incomplete, reachable, stale, delay, probe, failed, noarp, permanent };
std::string_view to_string(NudState s);  // "INCOMPLETE", "REACHABLE", ... as ip prints them

struct NeighborEntry {
    Ipv4 ip;
    int ifindex = 0;
    std::optional<Mac> mac;  // none while INCOMPLETE / FAILED
    NudState state = NudState::incomplete;
    bool router = false;
    // Virtual time of the entry's next timer (a state change may follow), if armed; and
    // of its last confirmation, from which the kernel's randomised reachable_time runs.
    std::optional<int64_t> next_change;
    std::optional<int64_t> last_timer;  // when a timer last fired on it
    int64_t confirmed = 0;
    int64_t reachable = 0;  // the device's base_reachable_time
};

}  // namespace vethlab::sim
