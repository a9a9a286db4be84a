// iputils 20221126 ping output, reproduced from its source: ping/ping.c ping4_run (header),
// ping4_receive_error_msg + pr_icmph ("From ..." lines), ping/ping_common.c
// gather_statistics (reply lines, rtt sums), finish (summary), ping.h acknowledge (pipe).
// Round-trip times are whole microseconds in iputils: rtt_ms is rounded to the microsecond.
#include "sim/ping_report.hpp"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <cstdio>
#include <set>

namespace vethlab::sim {
namespace {

long to_us(double ms) { return std::lround(ms * 1000.0); }

// gather_statistics: fewer decimals as the time grows (3 truncated, then 2, 1, 0 rounded).
std::string reply_time(long t) {
    if (t >= 100000 - 50) return fmt::format("{}", (t + 500) / 1000);
    if (t >= 10000 - 5) return fmt::format("{}.{:01}", (t + 50) / 1000, ((t + 50) % 1000) / 100);
    if (t >= 1000) return fmt::format("{}.{:02}", (t + 5) / 1000, ((t + 5) % 1000) / 10);
    return fmt::format("{}.{:03}", t / 1000, t % 1000);
}

// ping_common.c llsqrt: integer square root by Newton's method.
long long llsqrt(long long a) {
    long long prev = LLONG_MAX;
    long long x = a;
    if (x > 0) {
        while (x < prev) {
            prev = x;
            x = (x + (a / x)) / 2;
        }
    }
    return x;
}

// What ping counts while it reads replies and errors.
struct Tally {
    long received = 0;
    long repeats = 0;  // duplicates: a second reply with the same icmp_seq
    long errors = 0;
    long tmin = LONG_MAX;
    long tmax = 0;
    double tsum = 0;
    double tsum2 = 0;
};

std::string reply_line(const PingReply& r, Tally& t, std::set<int>& seen) {
    const long us = to_us(r.rtt_ms);
    t.tsum += double(us);
    t.tsum2 += double(static_cast<long long>(us) * us);
    t.tmin = std::min(t.tmin, us);
    t.tmax = std::max(t.tmax, us);
    const bool dup = !seen.insert(r.seq).second;
    if (dup) ++t.repeats;
    else ++t.received;
    return fmt::format("64 bytes from {}: icmp_seq={} ttl={} time={} ms{}\n", r.from.str(), r.seq, r.ttl,
                       reply_time(us), dup ? " (DUP!)" : "");
}

std::string error_line(const PingError& e, Tally& t) {
    if (e.redirect) return fmt::format("From {}: icmp_seq={} {}\n", e.from.str(), e.seq, e.what);
    ++t.errors;
    return fmt::format("From {} icmp_seq={} {}\n", e.from.str(), e.seq, e.what);
}

// finish: "rtt min/avg/max/mdev = ..." (all in microseconds, printed as ms.uuu).
std::string rtt_summary(const Tally& t) {
    const long total = t.received + t.repeats;
    const long tmavg = long(t.tsum / double(total));
    long long tmvar;
    if (t.tsum < INT_MAX)
        tmvar = static_cast<long long>((t.tsum2 - ((t.tsum * t.tsum) / double(total))) / double(total));
    else
        tmvar = static_cast<long long>((t.tsum2 / double(total)) - double(tmavg) * double(tmavg));
    const long long tmdev = llsqrt(tmvar);
    return fmt::format("rtt min/avg/max/mdev = {}.{:03}/{}.{:03}/{}.{:03}/{}.{:03} ms", t.tmin / 1000,
                       t.tmin % 1000, tmavg / 1000, tmavg % 1000, t.tmax / 1000, t.tmax % 1000, tmdev / 1000,
                       tmdev % 1000);
}

// printf("%g") of a float, as finish() prints the loss (in the C locale).
std::string percent_g(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", double(float(v)));
    return buf;
}

std::string summary(const PingRun& run, const Tally& t) {
    std::string out = fmt::format("\n--- {} ping statistics ---\n", run.dst.str());
    out += fmt::format("{} packets transmitted, {} received", run.transmitted, t.received);
    if (t.repeats) out += fmt::format(", +{} duplicates", t.repeats);
    if (t.errors) out += fmt::format(", +{} errors", t.errors);
    if (run.transmitted) {
        const double loss = (double(run.transmitted - t.received) * 100.0) / run.transmitted;
        out += fmt::format(", {}% packet loss, time {}ms", percent_g(loss), long(std::floor(run.elapsed_ms + 0.5)));
    }
    out += "\n";
    std::string comma;
    if (t.received) {
        out += rtt_summary(t);
        comma = ", ";
    }
    if (run.max_outstanding > 1) out += fmt::format("{}pipe {}", comma, run.max_outstanding);
    return out + "\n";  // a blank line when there is neither rtt nor pipe
}

}  // namespace

std::string format_ping(const PingRun& run) {
    if (run.fatal) return *run.fatal + "\n";
    std::string out = fmt::format("PING {0} ({0}) {1}56(84) bytes of data.\n", run.dst.str(), run.from);
    Tally t;
    std::set<int> seen;
    for (const auto& ev : run.events) {
        std::string line;
        if (const auto* r = std::get_if<PingReply>(&ev)) line = reply_line(*r, t, seen);
        else line = error_line(std::get<PingError>(ev), t);
        if (!run.quiet) out += line;  // -q: counted, not printed
    }
    return out + summary(run, t);
}

int ping_exit_code(const PingRun& run) {
    if (run.fatal) return 2;
    for (const auto& ev : run.events)
        if (std::holds_alternative<PingReply>(ev)) return 0;
    return 1;
}

}  // namespace vethlab::sim
