#include "sim/neighbor.hpp"

namespace vethlab::sim {

// iproute2 ip/ipneigh.c nud_state_n2a(): the words `ip neigh` prints.
std::string_view to_string(NudState s) {
    switch (s) {
        case NudState::incomplete: return "INCOMPLETE";
        case NudState::reachable: return "REACHABLE";
        case NudState::stale: return "STALE";
        case NudState::delay: return "DELAY";
        case NudState::probe: return "PROBE";
        case NudState::failed: return "FAILED";
        case NudState::noarp: return "NOARP";
        case NudState::permanent: return "PERMANENT";
    }
    return "NONE";
}

}  // namespace vethlab::sim
