// The simulator's headline scenario (issue 3): a full mesh of n namespaces, a /30 per
// veth pair, every namespace probes the far end of each of its links once: n(n-1)
// probes, all outcomes computed by the simulator.
#include <benchmark/benchmark.h>

#include <string>

#include "model/netstate.hpp"
#include "sim/kernel.hpp"
#include "sim/reach.hpp"

using namespace vethlab;

namespace {

void build_mesh(NetState& st, int n) {
    for (int i = 0; i < n; ++i) st.apply(NetnsAdd{"n" + std::to_string(i)});
    uint32_t subnet = (10u << 24);
    for (int i = 0; i < n; ++i) {
        const std::string a = "n" + std::to_string(i);
        for (int j = i + 1; j < n; ++j, subnet += 4) {
            const std::string b = "n" + std::to_string(j);
            const std::string ea = "v" + std::to_string(j), eb = "v" + std::to_string(i);
            st.apply(LinkAdd{.ns = a, .name = ea, .kind = LinkKind::veth, .up = true, .peer = eb, .peer_netns = b});
            st.apply(AddrAdd{a, ea, IfAddr(Ipv4(subnet + 1), 30)});
            st.apply(AddrAdd{b, eb, IfAddr(Ipv4(subnet + 2), 30)});
            st.apply(LinkSet{.ns = b, .name = eb, .up = true});
        }
    }
}

void BM_ReachPeersFullMesh(benchmark::State& state) {
    const int n = int(state.range(0));
    NetState st;
    build_mesh(st, n);
    const auto probes = sim::peer_probes(st);
    size_t replies = 0;
    for (auto _ : state) {
        sim::Kernel kernel(st);
        const auto results = sim::run_probes(kernel, probes);
        replies = 0;
        for (const auto& r : results) replies += r.outcome == sim::Outcome::reply;
    }
    if (replies != probes.size()) state.SkipWithError("not every peer answered");
    state.counters["probes"] = double(probes.size());
    state.counters["probes_per_s"] = benchmark::Counter(double(probes.size()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_ReachPeersFullMesh)->Arg(10)->Arg(40)->Arg(80)->Unit(benchmark::kMillisecond);
