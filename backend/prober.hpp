#pragma once
// ICMP echoes on the real kernel, from many namespaces at once: one raw ICMP socket per
// namespace, opened inside it by a helper thread (the calling thread never changes
// namespace), then every probe of every namespace driven concurrently on one
// boost::asio::io_context with a timer per probe. Replies and ICMP errors (which quote
// our request's header) are matched to probes by identifier and sequence number. A
// probe is classified as the simulator classifies it (model/probe_outcome.hpp); a
// sendto() that fails (ENETUNREACH: no route) is "no route", as ping's connect().
#include <chrono>
#include <string>
#include <vector>

#include "model/ipv4.hpp"
#include "model/probe_outcome.hpp"
#include "model/result.hpp"

namespace vethlab::backend {

struct KernelProbe {
    std::string ns;  // the kernel's name of the namespace (/run/netns/NAME)
    Ipv4 dst;
    std::chrono::milliseconds send_after{0};  // from the start of the run (pacing)
};

struct KernelAnswer {
    ProbeOutcome outcome = ProbeOutcome::silent;
    std::string detail;  // "from 10.0.0.1" for errors, the errno text for no route
    Ipv4 from;           // who answered
    double rtt_ms = 0;
};

struct ProberOptions {
    std::chrono::milliseconds timeout{4000};  // per probe, from its sending
    size_t payload = 56;
};

struct ProbeRun {
    std::vector<KernelAnswer> answers;  // one per probe, in order
    double seconds = 0;                 // wall time from the first send to the last answer
};

// Runs the probes; an error when a namespace cannot be joined or its socket opened
// (nothing is sent then).
Result<ProbeRun> probe_kernel(const std::vector<KernelProbe>& probes, const ProberOptions& opts = {});

}  // namespace vethlab::backend
