// The fib lookup (RouteTable::lookup, compiled into address intervals once a table is
// looked up often) against the rule written as plainly as possible: over every route,
// the longest matching destination among the accepted ones, then tos, metric, age.
#include <catch2/catch.hpp>

#include <bit>
#include <random>
#include <vector>

#include "model/netstate.hpp"
#include "model/route_table.hpp"

using namespace vethlab;

namespace {

struct Filter {
    RouteScope min_scope = RouteScope::universe;
    int oif = 0;
    bool operator()(const Route& r) const {  // NetState::lookup's
        if (uint8_t(r.scope) < uint8_t(min_scope)) return false;
        const bool error = r.type == RouteType::blackhole || r.type == RouteType::unreachable ||
                           r.type == RouteType::prohibit;
        return error || !oif || r.oif == oif;
    }
};

const Route* reference(const RouteTable& t, uint32_t table, Ipv4 addr, const Filter& accept) {
    const Route* best = nullptr;
    for (const Route& r : t) {  // insertion order: the first of equals wins
        if (r.table != table || !r.dst.contains(addr) || !accept(r)) continue;
        if (!best || r.dst.len() > best->dst.len() ||
            (r.dst.len() == best->dst.len() &&
             (r.tos < best->tos || (r.tos == best->tos && r.metric < best->metric))))
            best = &r;
    }
    return best;
}

Route random_route(std::mt19937& rng) {
    static const RouteScope scopes[] = {RouteScope::universe, RouteScope::link, RouteScope::host};
    static const RouteType types[] = {RouteType::unicast, RouteType::unicast, RouteType::local, RouteType::broadcast,
                                      RouteType::blackhole, RouteType::unreachable};
    static const uint32_t tables[] = {kTableMain, kTableMain, kTableLocal, 100};
    Route r;
    // Few networks, many lengths: destinations nest, repeat and share addresses.
    const uint32_t base = (10u << 24) | (uint32_t(rng() % 4) << 16) | (uint32_t(rng() % 4) << 8) | uint32_t(rng() % 8);
    const int len = rng() % 6 == 0 ? int(rng() % 8) : 8 + int(rng() % 25);
    r.dst = Prefix(Ipv4(rng() % 20 == 0 ? uint32_t(rng()) : base), len);
    r.table = tables[rng() % 4];
    r.type = types[rng() % 6];
    r.scope = scopes[rng() % 3];
    r.tos = uint8_t(rng() % 3 == 0 ? 4 : 0);
    r.metric = uint32_t(rng() % 3);
    r.oif = int(rng() % 4);
    return r;
}

Ipv4 random_address(std::mt19937& rng, const RouteTable& t) {
    if (rng() % 4 == 0 || t.empty()) return Ipv4(uint32_t(rng()));
    // Near a destination: its first, last or some address in it, or just outside.
    auto it = t.begin();
    for (size_t k = rng() % t.size(); k > 0; --k) ++it;
    const Prefix p = it->dst;
    const uint32_t size_minus_1 = uint32_t((uint64_t(1) << (32 - p.len())) - 1);
    const uint32_t net = p.network().value();
    switch (rng() % 5) {
        case 0: return Ipv4(net);
        case 1: return Ipv4(net + size_minus_1);
        case 2: return Ipv4(net - 1);
        case 3: return Ipv4(net + size_minus_1 + 1);
        default: return Ipv4(net + (size_minus_1 ? uint32_t(rng()) % size_minus_1 : 0));
    }
}

}  // namespace

TEST_CASE("fib lookup: the same route as a linear scan, compiled or not, across changes", "[fib][route_table]") {
    std::mt19937 rng(0xF1B);
    int compared = 0, found = 0;
    for (int round = 0; round < 60; ++round) {
        RouteTable t;
        std::vector<RouteTable::Handle> handles;
        const int size = 1 + int(rng() % (round < 30 ? 40 : 400));
        for (int i = 0; i < size; ++i) handles.push_back(t.push_back(random_route(rng)));
        for (int phase = 0; phase < 4; ++phase) {
            // Enough lookups at one generation that the main and local tables compile.
            for (int k = 0; k < 600; ++k) {
                const Ipv4 a = random_address(rng, t);
                Filter f;
                if (rng() % 3 == 0) f.min_scope = rng() % 2 ? RouteScope::link : RouteScope::host;
                if (rng() % 3 == 0) f.oif = 1 + int(rng() % 3);
                for (uint32_t table : {kTableMain, kTableLocal, 100u}) {
                    const Route* want = reference(t, table, a, f);
                    const Route* got = t.lookup(table, a, f);
                    INFO("round " << round << " phase " << phase << " table " << table << " addr " << a.str());
                    REQUIRE(got == want);
                    ++compared;
                    found += want != nullptr;
                }
            }
            // Change the table: erase some, add some, replace one in place.
            for (int k = int(rng() % 5); k > 0 && !handles.empty(); --k) {
                const size_t i = rng() % handles.size();
                t.erase(handles[i]);
                handles.erase(handles.begin() + long(i));
            }
            for (int k = int(rng() % 5); k > 0; --k) handles.push_back(t.push_back(random_route(rng)));
            if (!handles.empty()) {
                const auto h = handles[rng() % handles.size()];
                Route r = random_route(rng);
                r.table = t.get(h).table;
                r.dst = t.get(h).dst;
                t.replace(h, r);
            }
        }
    }
    CHECK(compared > 100000);
    CHECK(found > compared / 4);  // the comparison is not mostly between two nulls
}

// A router: main with many prefix lengths gets the pair compiled, and then the local
// table, with only its /32s and 127/8, is searched compiled too.
TEST_CASE("fib lookup: a local table of few lengths, compiled along with a big main table", "[fib][route_table]") {
    std::mt19937 rng(0x10CA1);
    RouteTable t;
    for (int i = 0; i < 300; ++i) {
        Route r = random_route(rng);
        r.table = kTableMain;
        t.push_back(r);
    }
    Route lo;
    lo.table = kTableLocal;
    lo.type = RouteType::local;
    lo.scope = RouteScope::host;
    lo.dst = Prefix(Ipv4(0x7f000000), 8);
    t.push_back(lo);
    for (int i = 0; i < 20; ++i) {
        Route r = random_route(rng);
        r.table = kTableLocal;
        r.dst = Prefix(r.dst.network(), 32);
        t.push_back(r);
    }
    REQUIRE(std::popcount(t.prefix_lengths(kTableLocal)) <= 2);
    int found = 0;
    for (int k = 0; k < 3000; ++k) {  // well past the lookups that pay for compiling
        const Ipv4 a = k % 2 ? random_address(rng, t) : Ipv4(0x7f000000u | uint32_t(rng() % 256));
        for (uint32_t table : {kTableMain, kTableLocal}) {
            INFO("lookup " << k << " table " << table << " addr " << a.str());
            const Route* want = reference(t, table, a, Filter{});
            REQUIRE(t.lookup(table, a, Filter{}) == want);
            found += want != nullptr && table == kTableLocal;
        }
    }
    CHECK(found > 1000);  // the local table answered, not only missed
}

TEST_CASE("fib lookup: a moved or copied table answers from its own routes", "[fib][route_table]") {
    RouteTable a;
    Route r;
    r.dst = Prefix(Ipv4(10u << 24), 8);
    r.oif = 1;
    a.push_back(r);
    for (int i = 0; i < 100; ++i) REQUIRE(a.lookup(kTableMain, Ipv4((10u << 24) | 5), Filter{}) == &a.front());
    RouteTable b = a;  // copy: b's own nodes
    CHECK(b.lookup(kTableMain, Ipv4((10u << 24) | 5), Filter{}) == &b.front());
    RouteTable c = std::move(a);
    CHECK(c.lookup(kTableMain, Ipv4((10u << 24) | 5), Filter{}) == &c.front());
    CHECK(a.lookup(kTableMain, Ipv4((10u << 24) | 5), Filter{}) == nullptr);
}
