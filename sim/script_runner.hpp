#pragma once
// Replays a topology's edits on the kernel twin: configuration edits change the state
// (a refused one prints the kernel's error, as ip would), observations print what the
// real command prints. Time advances as the pings take it.
#include <string>
#include <vector>

#include "model/topology.hpp"
#include "sim/kernel.hpp"

namespace vethlab::sim {

struct StepResult {
    const Edit* edit = nullptr;
    std::string output;    // what the command prints (stdout and stderr, in order)
    int exit_code = 0;     // the command's exit status
    bool refused = false;  // a configuration edit the kernel refused
};

// After this much virtual time, observations (ping, sleep, show) are refused.
inline constexpr Time kMaxScriptTime = Time(36500) * 86400 * kSecond;

class ScriptRunner {
public:
    ScriptRunner() : kernel_(state_) {}
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    StepResult run(const Edit& edit);
    const NetState& state() const { return state_; }
    Kernel& kernel() { return kernel_; }

private:
    std::string observe(const Show& show);

    NetState state_;
    Kernel kernel_;
};

// `vethlab sim`: every observation and every refused edit, each after its command line
// ("$ ip netns exec ns0 ping -c 3 10.0.0.2"); with all_commands, every edit.
std::string replay(const Topology& topo, bool all_commands);

}  // namespace vethlab::sim
