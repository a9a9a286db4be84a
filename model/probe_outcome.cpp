#include "model/probe_outcome.hpp"

#include <array>

namespace vethlab {
namespace {

constexpr std::array<std::string_view, 7> kWords = {"reply",        "host-unreachable", "net-unreachable", "prohibited",
                                                    "ttl-exceeded", "no-route",         "silent"};
constexpr std::string_view kLetters = "rhnpt-.";

}  // namespace

std::string_view to_string(ProbeOutcome o) { return kWords[size_t(o)]; }

std::optional<ProbeOutcome> parse_probe_outcome(std::string_view word) {
    for (size_t i = 0; i < kWords.size(); ++i)
        if (kWords[i] == word) return ProbeOutcome(i);
    return std::nullopt;
}

char outcome_letter(ProbeOutcome o) { return kLetters[size_t(o)]; }

std::optional<ProbeOutcome> outcome_of_icmp(uint8_t type, uint8_t code) {
    switch (type) {
        case 0: return ProbeOutcome::reply;
        case 11: return ProbeOutcome::ttl_exceeded;
        case 3:
            if (code == 0) return ProbeOutcome::net_unreachable;
            if (code == 13) return ProbeOutcome::prohibited;
            return ProbeOutcome::host_unreachable;
        default: return std::nullopt;
    }
}

}  // namespace vethlab
