// Route lookup (issue 3): a namespace with 1,000 routes of mixed prefix lengths, looked
// up at random addresses -- most inside some route, some only under the default. The
// bar: at least 20 million lookups per second.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "model/netstate.hpp"
#include "sim/kernel.hpp"

using namespace vethlab;

namespace {

struct FibFixture {
    NetState st;
    std::vector<Ipv4> addrs;  // what is looked up, in a fixed random order
    size_t routes = 0;

    explicit FibFixture(int n) {
        st.apply(NetnsAdd{"r"});
        st.apply(LinkAdd{.ns = "r", .name = "d0", .kind = LinkKind::dummy, .up = true});
        st.apply(AddrAdd{"r", "d0", IfAddr(Ipv4((192u << 24) | (168u << 16) | 1), 16)});
        st.apply(RouteEdit{"r", RouteOp::add, RouteSpec{.dst = Prefix(Ipv4(0), 0), .via = Ipv4((192u << 24) | (168u << 16) | 254)}});
        std::mt19937 rng(1000);
        std::vector<Prefix> dsts;
        while (int(dsts.size()) < n) {
            const int len = 12 + int(rng() % 21);  // /12 .. /32
            const Prefix p(Ipv4((10u << 24) | (rng() & 0x00ffffffu)), len);
            const RouteSpec spec{.dst = p, .metric = uint32_t(rng() % 3) * 100,
                                 .via = Ipv4((192u << 24) | (168u << 16) | (1 + rng() % 250))};
            if (!st.apply(RouteEdit{"r", RouteOp::add, spec})) dsts.push_back(p);
        }
        routes = st.ns("r")->routes.size();
        for (int i = 0; i < 4096; ++i) {
            if (i % 8 == 0) {
                addrs.push_back(Ipv4(uint32_t(rng())));  // mostly the default route
            } else {
                const Prefix p = dsts[rng() % dsts.size()];
                const uint32_t span = uint32_t((uint64_t(1) << (32 - p.len())) - 1);
                addrs.push_back(Ipv4(p.network().value() + (span ? uint32_t(rng()) % span : 0)));
            }
        }
    }
};

// The FIB itself: local table, then main (what ip_route_output and ip_rcv ask).
void BM_FibLookup1000Routes(benchmark::State& state) {
    FibFixture f(int(state.range(0)));
    const Namespace& ns = *f.st.ns("r");
    size_t i = 0, hits = 0;
    for (auto _ : state) {
        const Route* r = f.st.lookup(ns, f.addrs[i++ & 4095]);
        hits += r != nullptr;
        benchmark::DoNotOptimize(r);
    }
    if (hits != size_t(state.iterations())) state.SkipWithError("a lookup missed the default route");
    state.counters["routes"] = double(f.routes);
    state.SetItemsProcessed(int64_t(state.iterations()));
}

// The same through the twin's output path: lookup, link state, source selection.
void BM_RouteOutput1000Routes(benchmark::State& state) {
    FibFixture f(int(state.range(0)));
    sim::Kernel kernel(f.st);
    size_t i = 0;
    for (auto _ : state) {
        auto r = kernel.route_output("r", f.addrs[i++ & 4095]);
        benchmark::DoNotOptimize(r);
    }
    state.counters["routes"] = double(f.routes);
    state.SetItemsProcessed(int64_t(state.iterations()));
}

}  // namespace

BENCHMARK(BM_FibLookup1000Routes)->Arg(1000);
BENCHMARK(BM_RouteOutput1000Routes)->Arg(1000);
