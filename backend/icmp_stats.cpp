#include "backend/icmp_stats.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "backend/netns.hpp"

namespace vethlab::backend {

Result<IcmpCounters> parse_icmp_counters(std::string_view snmp) {
    std::vector<std::string> lines;
    std::istringstream in{std::string(snmp)};
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("Icmp: ")) lines.push_back(line);
    if (lines.size() != 2) return Error{"/proc/net/snmp has no Icmp: counters"};
    std::istringstream names(lines[0]), values(lines[1]);
    IcmpCounters c;
    bool global = false;
    for (std::string name, value; names >> name && values >> value;) {
        uint64_t v = 0;
        if (name == "Icmp:") continue;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || p != value.data() + value.size())
            return Error{fmt::format("/proc/net/snmp: Icmp: {} is '{}', not a count", name, value)};
        if (name == "OutMsgs") c.out_msgs = v;
        if (name == "OutRateLimitGlobal") c.out_rate_limit_global = v, global = true;
        if (name == "OutRateLimitHost") c.out_rate_limit_host = v;
    }
    if (!global) return Error{"/proc/net/snmp has no OutRateLimitGlobal (this kernel does not count refusals)"};
    return c;
}

Result<IcmpCounters> icmp_counters(const std::string& netns) {
    auto fd = open_netns(netns);
    if (!fd) return Error{fd.error()};
    std::string text;
    if (auto err = run_in_netns(fd.value().get(), [&] {
            // /proc/thread-self/net: this thread's namespace (/proc/self/net is the process's).
            std::ifstream in("/proc/thread-self/net/snmp");
            std::ostringstream all;
            all << in.rdbuf();
            text = all.str();
        }))
        return Error{fmt::format("{}: {}", netns, *err)};
    auto c = parse_icmp_counters(text);
    if (!c) return Error{fmt::format("{}: {}", netns, c.error())};
    return c;
}

}  // namespace vethlab::backend
