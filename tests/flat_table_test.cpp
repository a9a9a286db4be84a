// FlatTable (the simulator's neighbour tables) against std::unordered_map.
#include <catch2/catch.hpp>

#include <random>
#include <unordered_map>

#include "sim/flat_table.hpp"

using vethlab::sim::FlatTable;

TEST_CASE("flat table: finds, adds and erases as unordered_map does", "[sim][flat_table]") {
    std::mt19937_64 rng(42);
    FlatTable<int> table;
    std::unordered_map<uint64_t, int> want;
    for (int round = 0; round < 200; ++round) {
        // Keys as the neighbour tables make them (ifindex << 32 | address), few ifindexes.
        for (int i = 0; i < 100; ++i) {
            const uint64_t key = (rng() % 8) << 32 | (rng() % 3000);
            auto [v, added] = table.try_emplace(key);
            REQUIRE(added == (want.count(key) == 0));
            if (added) REQUIRE(*v == 0);  // value-initialised
            *v += 1;
            want[key] += 1;
        }
        const uint64_t ifindex = rng() % 8;
        const size_t erased = table.erase_if([&](uint64_t key, int& v) { return key >> 32 == ifindex && v % 2 == 1; });
        REQUIRE(erased == size_t(std::erase_if(want, [&](const auto& kv) {
                    return kv.first >> 32 == ifindex && kv.second % 2 == 1;
                })));
        REQUIRE(table.size() == want.size());
        for (int i = 0; i < 100; ++i) {
            const uint64_t key = (rng() % 8) << 32 | (rng() % 3000);
            const int* v = table.find(key);
            const auto it = want.find(key);
            REQUIRE((v != nullptr) == (it != want.end()));
            if (v) REQUIRE(*v == it->second);
        }
    }
    size_t seen = 0;
    table.for_each([&](uint64_t key, const int& v) {
        ++seen;
        REQUIRE(want.at(key) == v);
    });
    CHECK(seen == want.size());
    CHECK(want.size() > 1000);
}
