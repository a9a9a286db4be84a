// The simulator's headline scenario (issue 3): a full mesh of n namespaces, a /30 per
// veth pair, every namespace probes the far end of each of its links once: n(n-1)
// probes, all outcomes computed by the simulator.
#include <benchmark/benchmark.h>

#include <string>

#include "mesh_fixture.hpp"
#include "model/netstate.hpp"
#include "sim/kernel.hpp"
#include "sim/reach.hpp"

using namespace vethlab;

namespace {


void BM_ReachPeersFullMesh(benchmark::State& state) {
    const int n = int(state.range(0));
    NetState st;
    bench::build_full_mesh(st, n);
    const auto probes = sim::peer_probes(st);
    size_t replies = 0;
    for (auto _ : state) {
        sim::Kernel kernel(st);
        const auto results = sim::run_probes(kernel, probes, 4 * sim::kSecond, sim::Wait::answers,
                                             sim::kReachWave);  // as `vethlab reach`
        replies = 0;
        for (const auto& r : results) replies += r.outcome == sim::Outcome::reply;
    }
    if (replies != probes.size()) state.SkipWithError("not every peer answered");
    state.counters["probes"] = double(probes.size());
    state.counters["probes_per_s"] = benchmark::Counter(double(probes.size()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_ReachPeersFullMesh)->Arg(10)->Arg(40)->Arg(80)->Unit(benchmark::kMillisecond);
