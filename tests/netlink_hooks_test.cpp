// The crash-test hooks and the meminfo reader, without the kernel.
#include <catch2/catch.hpp>

#include "backend/meminfo.hpp"
#include "backend/netlink_fake.hpp"
#include "backend/netlink_hooks.hpp"

using namespace vethlab;
using namespace vethlab::backend;

TEST_CASE("hooks: the k-th operation fails as a refusal and is not run", "[backend][hooks]") {
    FakeNetlink fake;
    HookedNetlink nl(fake, TestHooks{std::nullopt, 2});
    CHECK_FALSE(nl.add_netns("a"));
    CHECK(nl.add_netns("b") == std::optional<std::string>("injected failure (VETHLAB_TEST_FAIL_AT=2)"));
    CHECK_FALSE(nl.netns_exists("b"));  // reads are not operations
    CHECK_FALSE(nl.add_netns("c"));
    CHECK(fake.calls == std::vector<std::string>{"netns add a", "netns add c"});
    CHECK(nl.operations() == 3);
}

TEST_CASE("hooks: without settings every call passes through", "[backend][hooks]") {
    FakeNetlink fake;
    HookedNetlink nl(fake, TestHooks{});
    CHECK_FALSE(TestHooks{}.any());
    CHECK_FALSE(nl.add_netns("a"));
    CHECK_FALSE(nl.del_netns("a"));
    CHECK(fake.calls.size() == 2);
}

TEST_CASE("meminfo: fields in KiB, the kernel's share summed", "[backend][meminfo]") {
    const auto f = parse_meminfo("MemTotal:       24576000 kB\nMemAvailable:   20000000 kB\nSlab:  300000 kB\n"
                                 "Percpu:           9000 kB\nVmallocUsed:      40000 kB\nHugePages_Total:       0\n"
                                 "garbage line\n");
    CHECK(f.at("MemTotal") == 24576000);
    CHECK(f.at("HugePages_Total") == 0);
    CHECK(f.count("garbage line") == 0);
    const MemInfo m = meminfo_from(f);
    CHECK(m.available_kib == 20000000);
    CHECK(m.kernel_kib() == 349000);
    const auto live = read_meminfo();
    REQUIRE(live);
    CHECK(live->total_kib > live->available_kib);
    CHECK(live->slab_kib > 0);
}
