#pragma once
// A namespace's ICMP counters, read-only: the "Icmp:" lines of its /proc/net/snmp, read
// by a thread that joined it. OutRateLimitGlobal counts the errors the namespace's
// budget (icmp_global_allow: net.ipv4.icmp_msgs_per_sec, icmp_msgs_burst) refused --
// a limit the simulator does not model, since each error takes a random 0-2 credits
// (Linux 6.11 and later) -- and OutRateLimitHost those icmp_ratelimit refused.
#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace vethlab::backend {

struct IcmpCounters {
    uint64_t out_msgs = 0;
    uint64_t out_rate_limit_global = 0;
    uint64_t out_rate_limit_host = 0;
};

// From the two "Icmp:" lines of /proc/net/snmp (names, then values); an error when
// they are missing or do not match.
Result<IcmpCounters> parse_icmp_counters(std::string_view snmp);

// The counters of the namespace /run/netns/NAME.
Result<IcmpCounters> icmp_counters(const std::string& netns);

}  // namespace vethlab::backend
