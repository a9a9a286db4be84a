// How fast the configuration plane takes a full mesh: n namespaces, n(n-1)/2 veth
// pairs created directly in both namespaces, a /30 on each end, every end up.
#include <benchmark/benchmark.h>

#include <string>

#include "model/netstate.hpp"

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

void BM_NetStateFullMesh(benchmark::State& state) {
    const int n = int(state.range(0));
    for (auto _ : state) {
        NetState st;
        build_mesh(st, n);
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

