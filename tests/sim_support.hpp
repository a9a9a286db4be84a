#pragma once
// Helpers for simulator tests: build a state from an ip script, ping in it, and put a
// ping run in a normal form that the kernel's real ping output can be compared with.
#include <string>
#include <vector>

#include "model/netstate.hpp"
#include "sim/kernel.hpp"
#include "sim/ping_report.hpp"

namespace vethlab::testing {

// Applies every non-observation edit of the script; fails the test on a refusal.
void build(NetState& st, const std::string& script);

// One ping "ip netns exec NS ping ARGS" (args as iputils takes them) on the twin.
sim::PingRun sim_ping(sim::Kernel& k, const NetState& st, const std::string& ns, const std::string& args);

// "reply seq=1 ttl=64 from=10.0.0.2", "error seq=2 from=10.0.0.1 Destination Host
// Unreachable", "fatal ping: connect: Network is unreachable", sorted by sequence.
std::vector<std::string> outcome(const sim::PingRun& run);
// The same normal form read from iputils' real output.
std::vector<std::string> outcome_of_output(const std::string& ping_output);

}  // namespace vethlab::testing
