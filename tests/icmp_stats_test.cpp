// The ICMP counters verify reads from a namespace's /proc/net/snmp.
#include <catch2/catch.hpp>

#include "backend/icmp_stats.hpp"

using namespace vethlab;

TEST_CASE("icmp counters: OutRateLimitGlobal by name, not by place", "[backend]") {
    const std::string snmp =
        "Ip: Forwarding DefaultTTL\nIp: 2 64\n"
        "Icmp: InMsgs InErrors OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs\n"
        "Icmp: 7 0 12 0 3 5 9\n"
        "IcmpMsg: InType3 OutType3\nIcmpMsg: 7 9\n";
    const auto c = backend::parse_icmp_counters(snmp);
    REQUIRE(c);
    CHECK(c->out_msgs == 12);
    CHECK(c->out_rate_limit_global == 3);
    CHECK(c->out_rate_limit_host == 5);
}

TEST_CASE("icmp counters: what is missing or garbled is said", "[backend]") {
    CHECK(backend::parse_icmp_counters("Ip: Forwarding\nIp: 2\n").error() == "/proc/net/snmp has no Icmp: counters");
    CHECK(backend::parse_icmp_counters("Icmp: InMsgs OutMsgs\nIcmp: 1 2\n").error() ==
          "/proc/net/snmp has no OutRateLimitGlobal (this kernel does not count refusals)");
    CHECK(backend::parse_icmp_counters("Icmp: OutRateLimitGlobal\nIcmp: x1\n").error() ==
          "/proc/net/snmp: Icmp: OutRateLimitGlobal is 'x1', not a count");
}
