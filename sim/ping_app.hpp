#pragma once
// iputils ping on the kernel twin: probes every interval, replies and ICMP errors
// matched by id and sequence, exit when all are answered or after the linger time.
#include "model/edit.hpp"
#include "sim/kernel.hpp"
#include "sim/ping_report.hpp"

namespace vethlab::sim {

// kPingDefaultCount and kPingLingerSeconds: model/edit.hpp. A Ping beyond the bounds
// there (kPingMaxProbes, kMaxCommandSeconds), which the parsers refuse, is cut to them.
PingRun run_ping(Kernel& kernel, const Ping& ping, const NetState& state);

}  // namespace vethlab::sim
