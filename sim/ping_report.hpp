#pragma once
// What one `ping` run observed, and how iputils (20221126) prints it.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/ipv4.hpp"

namespace vethlab::sim {

struct PingReply {
    int seq = 0;
    int ttl = 64;
    double rtt_ms = 0;
    Ipv4 from;
};

// An ICMP error that came back for one of our probes ("From S icmp_seq=N <what>").
struct PingError {
    int seq = 0;
    Ipv4 from;
    std::string what;  // "Destination Host Unreachable", "Destination Net Unreachable",
                       // "Time to live exceeded", "Packet filtered", ...
    // An ICMP redirect: ping4_parse_reply prints it ("From R: icmp_seq=N Redirect
    // Host(New nexthop: G)", with a colon) but neither counts it as an error nor takes it
    // as the probe's answer.
    bool redirect = false;
};

struct PingRun {
    Ipv4 dst;
    int transmitted = 0;
    std::vector<std::variant<PingReply, PingError>> events;  // in arrival order
    double elapsed_ms = 0;    // "time Tms" of the summary
    int max_outstanding = 0;  // "pipe K" when > 1
    bool quiet = false;       // -q
    std::string from;         // "from SRC DEV: " in the first line, with -I
    // A fatal error before anything was sent, e.g. "ping: connect: Network is unreachable".
    std::optional<std::string> fatal;
};

// Exactly what iputils ping prints on stdout (and the fatal line, which ping prints on
// stderr, as the whole output when fatal is set).
std::string format_ping(const PingRun& run);
// 0 if any reply, 1 if none, 2 on a fatal error.
int ping_exit_code(const PingRun& run);

}  // namespace vethlab::sim
