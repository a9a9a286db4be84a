// The bridge's headline scenario (issue 7): n hosts on one bridge (`vethlab gen bridge
// N`), every host pings every other host once, all at once in virtual time: n(n-1)
// probes, each an ARP flood, learning and forwarding through the bridge. Bar: n = 1000
// (999,000 probes) under 10 s.
#include <benchmark/benchmark.h>

#include <string>

#include "analysis/generators.hpp"
#include "model/netstate.hpp"
#include "model/yaml_reader.hpp"
#include "sim/kernel.hpp"
#include "sim/reach.hpp"

using namespace vethlab;

namespace {

NetState build_bridge(int n) {
    NetState st;
    auto plan = analysis::generate(analysis::Shape::bridge, uint64_t(n), {});
    if (!plan) return st;
    Parsed parsed = parse_yaml_topology(analysis::plan_yaml(*plan), "bridge.yaml");
    for (const auto& e : parsed.topology.edits)
        if (!e.is_observation()) st.apply(e.op);
    return st;
}

// Every host to every other host's address.
std::vector<sim::Probe> host_pairs(const NetState& st) {
    std::vector<sim::Probe> out;
    for (const auto& p : sim::all_pairs(st)) {
        if (p.ns == analysis::kSwitchNs) continue;
        const Namespace& ns = *st.ns(p.ns);
        if (!ns.has_local_address(p.dst)) out.push_back(p);
    }
    return out;
}

void BM_ReachAllPairsBridge(benchmark::State& state) {
    const int n = int(state.range(0));
    const NetState st = build_bridge(n);
    const auto probes = host_pairs(st);
    size_t replies = 0;
    for (auto _ : state) {
        sim::Kernel kernel(st);
        const auto results = sim::run_probes(kernel, probes, 4 * sim::kSecond, sim::Wait::answers,
                                             sim::kReachWave);  // as `vethlab reach`
        replies = 0;
        for (const auto& r : results) replies += r.outcome == sim::Outcome::reply;
    }
    if (probes.size() != size_t(n) * size_t(n - 1)) state.SkipWithError("not n(n-1) probes");
    if (replies != probes.size()) state.SkipWithError("not every host answered");
    state.counters["probes"] = double(probes.size());
    state.counters["probes_per_s"] =
        benchmark::Counter(double(probes.size()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_ReachAllPairsBridge)->Arg(10)->Arg(100)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);
