#pragma once
// How one ICMP echo ended, in the words both the simulator's reach and the kernel
// prober (vethlab verify) use: a reply, an ICMP error (host / net unreachable,
// prohibited, TTL exceeded), no route (connect/sendto fails with ENETUNREACH), or
// silence until the timeout.
#include <cstdint>
#include <optional>
#include <string_view>

namespace vethlab {

enum class ProbeOutcome { reply, host_unreachable, net_unreachable, prohibited, ttl_exceeded, no_route, silent };

std::string_view to_string(ProbeOutcome o);  // "reply", "host-unreachable", ...
std::optional<ProbeOutcome> parse_probe_outcome(std::string_view word);
char outcome_letter(ProbeOutcome o);  // the matrix cell: r h n p t - .

// An ICMP message about (or answering) our echo: type 0 reply, 3 unreachable by code
// (0 net, 13 prohibited, anything else host), 11 TTL exceeded. nullopt for others.
std::optional<ProbeOutcome> outcome_of_icmp(uint8_t type, uint8_t code);

}  // namespace vethlab
