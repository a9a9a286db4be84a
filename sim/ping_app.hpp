#pragma once
// iputils ping on the kernel twin: probes every interval, replies and ICMP errors
// matched by id and sequence, exit when all are answered or after the linger time.
#include "model/edit.hpp"
#include "sim/kernel.hpp"
#include "sim/ping_report.hpp"

namespace vethlab::sim {

// Without -c or -w, ping runs until interrupted; the simulator stops it after this many
// probes, as a user pressing ^C would.
inline constexpr int kPingDefaultCount = 4;
inline constexpr double kPingLingerSeconds = 10.0;  // iputils MAXWAIT, when -W is not given

PingRun run_ping(Kernel& kernel, const Ping& ping, const NetState& state);

}  // namespace vethlab::sim
