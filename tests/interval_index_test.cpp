// IntervalIndex against std::upper_bound, on sizes around the block edges.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "model/interval_index.hpp"

using namespace vethlab;

namespace {

size_t reference(const std::vector<uint32_t>& starts, uint32_t addr) {
    const auto it = std::upper_bound(starts.begin(), starts.end(), addr);
    return it == starts.begin() ? IntervalIndex::kNone : size_t(it - starts.begin()) - 1;
}

}  // namespace

TEST_CASE("interval index: the last start not above an address, as upper_bound says", "[model][fib]") {
    std::mt19937 rng(7);
    for (size_t n : {0, 1, 2, 15, 16, 17, 255, 256, 257, 4095, 4096, 4097, 5000}) {
        std::set<uint32_t> keys;
        if (n > 0 && rng() % 2) keys.insert(0);
        while (keys.size() < n) keys.insert(uint32_t(rng()) >> (rng() % 8 == 0 ? 24 : 0));
        const std::vector<uint32_t> starts(keys.begin(), keys.end());
        const IntervalIndex index(starts);
        INFO("n " << n);
        CHECK(index.size() == n);
        std::vector<uint32_t> probes{0, 1, 0xfffffffe, 0xffffffff};
        for (uint32_t k : starts) {
            probes.push_back(k);
            probes.push_back(k - 1);
            probes.push_back(k + 1);
        }
        for (int i = 0; i < 2000; ++i) probes.push_back(uint32_t(rng()));
        for (uint32_t a : probes) {
            INFO("address " << a);
            REQUIRE(index.find(a) == reference(starts, a));
        }
    }
}

TEST_CASE("interval index: 255.255.255.255 as a start and as an address", "[model][fib]") {
    const std::vector<uint32_t> starts{0, 10, 0xfffffff0, 0xffffffff};
    const IntervalIndex index(starts);
    CHECK(index.find(0xffffffff) == 3);
    CHECK(index.find(0xfffffffe) == 2);
    CHECK(index.find(9) == 0);
    const IntervalIndex without({5, 0xfffffff0});
    CHECK(without.find(0xffffffff) == 1);
    CHECK(without.find(4) == IntervalIndex::kNone);
}
