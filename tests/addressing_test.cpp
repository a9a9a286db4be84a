#include <catch2/catch.hpp>

#include "analysis/addressing.hpp"

using namespace vethlab;
using analysis::cidr_cover;
using analysis::SubnetPlan;

namespace {

std::vector<std::string> strs(const std::vector<Prefix>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps) out.push_back(p.str());
    return out;
}

uint32_t ip(const char* text) { return Ipv4::parse(text)->value(); }

}  // namespace

TEST_CASE("addressing: pair k gets the k-th /30, .1 on end a and .2 on end b", "[analysis]") {
    auto plan = SubnetPlan::make(*Prefix::parse("10.0.0.0/8"), 30, 3);
    REQUIRE(plan);
    CHECK(plan->capacity() == (1u << 22));
    CHECK(plan->subnet(2).str() == "10.0.0.8/30");
    CHECK(plan->end_a(2).str() == "10.0.0.9/30");
    CHECK(plan->end_b(2).str() == "10.0.0.10/30");
    auto p31 = SubnetPlan::make(*Prefix::parse("192.168.0.0/24"), 31, 128);
    REQUIRE(p31);
    CHECK(p31->end_a(1).str() == "192.168.0.2/31");
    CHECK(p31->end_b(1).str() == "192.168.0.3/31");
}

TEST_CASE("addressing: a pool too small for the plan is refused with both numbers", "[analysis]") {
    auto plan = SubnetPlan::make(*Prefix::parse("10.0.0.0/24"), 30, 65);
    REQUIRE_FALSE(plan);
    CHECK(plan.error() == "prefix 10.0.0.0/24 holds 64 /30 subnets; 65 are needed");
    CHECK_FALSE(SubnetPlan::make(*Prefix::parse("10.0.0.0/31"), 30, 1));
    CHECK(SubnetPlan::make(*Prefix::parse("10.0.0.0/24"), 30, 64));
}

TEST_CASE("addressing: the fewest prefixes covering exactly a range", "[analysis]") {
    CHECK(strs(cidr_cover(ip("10.0.0.0"), ip("10.0.0.255"))) == std::vector<std::string>{"10.0.0.0/24"});
    CHECK(strs(cidr_cover(ip("10.0.0.4"), ip("10.0.0.15"))) ==
          std::vector<std::string>{"10.0.0.4/30", "10.0.0.8/29"});
    CHECK(strs(cidr_cover(ip("10.0.0.1"), ip("10.0.0.1"))) == std::vector<std::string>{"10.0.0.1"});
    CHECK(strs(cidr_cover(0, 0xffffffffu)) == std::vector<std::string>{"default"});
    // Whatever the range: consecutive, aligned, no more than two per bit.
    for (uint32_t lo : {0u, 3u, 4u, 17u, 1000u})
        for (uint32_t hi : {lo, lo + 1, lo + 6, lo + 1023}) {
            auto cover = cidr_cover(lo, hi);
            uint64_t next = lo;
            for (const auto& p : cover) {
                CHECK(p.network().value() == next);
                next = uint64_t(p.last().value()) + 1;
            }
            CHECK(next == uint64_t(hi) + 1);
            CHECK(cover.size() <= 64);
        }
    auto plan = SubnetPlan::make(*Prefix::parse("10.0.0.0/8"), 30, 100);
    CHECK(strs(plan->cover(1, 4)) == std::vector<std::string>{"10.0.0.4/30", "10.0.0.8/29", "10.0.0.16/30"});
    CHECK(plan->cover(5, 4).empty());
}
