// How fast the configuration plane takes a full mesh: n namespaces, n(n-1)/2 veth
// pairs created directly in both namespaces, a /30 on each end, every end up.
#include <benchmark/benchmark.h>

#include <string>

#include "mesh_fixture.hpp"
#include "model/netstate.hpp"

using namespace vethlab;

namespace {


void BM_NetStateFullMesh(benchmark::State& state) {
    const int n = int(state.range(0));
    for (auto _ : state) {
        NetState st;
        bench::build_full_mesh(st, n);
        benchmark::DoNotOptimize(st);
    }
    state.counters["veth_pairs"] = double(n) * (n - 1) / 2;
    state.counters["pairs_per_s"] =
        benchmark::Counter(double(n) * (n - 1) / 2, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_NetStateFullMesh)->Arg(10)->Arg(40)->Arg(80)->Arg(160)->Unit(benchmark::kMillisecond);
// The target of DESIGN.md "Scale": n = 1000 in well under 5 s. One iteration each.
BENCHMARK(BM_NetStateFullMesh)->Arg(300)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

