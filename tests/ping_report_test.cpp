// iputils ping output (ping_report): whole runs as the kernel printed them (captured on
// Linux 6.18, iputils 20221126), and the number formats of iputils' source.
#include <catch2/catch.hpp>

#include "sim/ping_report.hpp"

using namespace vethlab;
using namespace vethlab::sim;

namespace {

const Ipv4 kPeer(10, 0, 0, 2), kSelf(10, 0, 0, 1), kNobody(10, 0, 0, 9);

PingRun replies(Ipv4 dst, const std::vector<double>& times_ms, double elapsed_ms) {
    PingRun run{.dst = dst, .transmitted = int(times_ms.size()), .events = {}, .elapsed_ms = elapsed_ms,
                .max_outstanding = 1};
    for (size_t i = 0; i < times_ms.size(); ++i) run.events.push_back(PingReply{int(i) + 1, 64, times_ms[i], dst});
    return run;
}

// The reply line ping prints for one round-trip time.
std::string reply_line(double ms) {
    const std::string out = format_ping(replies(kPeer, {ms}, 0));
    const auto start = out.find("64 bytes");
    return out.substr(start, out.find('\n', start) - start);
}

std::string line_of(const std::string& out, const std::string& starting) {
    const auto start = out.find(starting);
    return start == std::string::npos ? "" : out.substr(start, out.find('\n', start) - start);
}

}  // namespace

TEST_CASE("ping: a veth peer answering byte for byte as iputils printed it", "[printer]") {
    const PingRun run = replies(kPeer, {0.091, 0.073, 0.068}, 407);
    CHECK(format_ping(run) ==
          "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
          "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.091 ms\n"
          "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.073 ms\n"
          "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=0.068 ms\n"
          "\n"
          "--- 10.0.0.2 ping statistics ---\n"
          "3 packets transmitted, 3 received, 0% packet loss, time 407ms\n"
          "rtt min/avg/max/mdev = 0.068/0.077/0.091/0.009 ms\n");
    CHECK(ping_exit_code(run) == 0);
}

TEST_CASE("ping: -q keeps the header and the summary", "[printer]") {
    PingRun run = replies(kPeer, {0.063, 0.071, 0.067}, 408);
    run.quiet = true;
    CHECK(format_ping(run) ==
          "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
          "\n"
          "--- 10.0.0.2 ping statistics ---\n"
          "3 packets transmitted, 3 received, 0% packet loss, time 408ms\n"
          "rtt min/avg/max/mdev = 0.063/0.067/0.071/0.003 ms\n");
}

TEST_CASE("ping: failed ARP with lo up gives Destination Host Unreachable and +errors and pipe", "[printer]") {
    PingRun run{.dst = kNobody, .transmitted = 3, .events = {}, .elapsed_ms = 408, .max_outstanding = 3};
    for (int seq = 1; seq <= 3; ++seq) run.events.push_back(PingError{seq, kSelf, "Destination Host Unreachable"});
    CHECK(format_ping(run) ==
          "PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n"
          "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n"
          "From 10.0.0.1 icmp_seq=2 Destination Host Unreachable\n"
          "From 10.0.0.1 icmp_seq=3 Destination Host Unreachable\n"
          "\n"
          "--- 10.0.0.9 ping statistics ---\n"
          "3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 408ms\n"
          "pipe 3\n");
    CHECK(ping_exit_code(run) == 1);
    run.quiet = true;
    CHECK(line_of(format_ping(run), "From") == "");
    CHECK(line_of(format_ping(run), "3 packets") ==
          "3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 408ms");
}

TEST_CASE("ping: silent loss ends with an empty line", "[printer]") {
    const PingRun run{.dst = kNobody, .transmitted = 3, .events = {}, .elapsed_ms = 407};
    CHECK(format_ping(run) ==
          "PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n"
          "\n"
          "--- 10.0.0.9 ping statistics ---\n"
          "3 packets transmitted, 0 received, 100% packet loss, time 407ms\n"
          "\n");
    CHECK(ping_exit_code(run) == 1);
}

TEST_CASE("ping: a fatal error is the whole output and exit 2", "[printer]") {
    PingRun run{.dst = Ipv4(192, 168, 7, 7)};
    run.fatal = "ping: connect: Network is unreachable";
    CHECK(format_ping(run) == "ping: connect: Network is unreachable\n");
    CHECK(ping_exit_code(run) == 2);
}

TEST_CASE("ping: reply times lose decimals as they grow (gather_statistics)", "[printer]") {
    const std::vector<std::pair<double, std::string>> cases{
        {0.068, "0.068"}, {0.0004, "0.000"}, {0.9994, "0.999"}, {0.9996, "1.00"},  // whole microseconds
        {1.234, "1.23"},  {1.235, "1.24"},   {9.994, "9.99"},   {9.995, "10.0"},   // 2 decimals, rounded
        {12.345, "12.3"}, {12.35, "12.4"},   {99.949, "99.9"},  {99.95, "100"},    // 1 decimal, then none
        {123.456, "123"}, {1234.5, "1235"},
    };
    for (const auto& [ms, printed] : cases) {
        INFO(ms);
        CHECK(reply_line(ms) == "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=" + printed + " ms");
    }
}

TEST_CASE("ping: loss is printed with %g and time rounded to the millisecond", "[printer]") {
    PingRun run = replies(kPeer, {0.05}, 1999.5);
    run.transmitted = 3;
    CHECK(line_of(format_ping(run), "3 packets") ==
          "3 packets transmitted, 1 received, 66.6667% packet loss, time 2000ms");
    run = replies(kPeer, {0.05, 0.05, 0.05, 0.05, 0.05}, 5004.4);
    run.transmitted = 6;
    CHECK(line_of(format_ping(run), "6 packets") ==
          "6 packets transmitted, 5 received, 16.6667% packet loss, time 5004ms");
    run.transmitted = 8;
    CHECK(line_of(format_ping(run), "8 packets") ==
          "8 packets transmitted, 5 received, 37.5% packet loss, time 5004ms");
}

TEST_CASE("ping: rtt and pipe share a line, mdev is iputils' integer square root", "[printer]") {
    PingRun run = replies(kPeer, {1.5, 0.25, 12.0}, 2003);
    run.max_outstanding = 2;
    // min 250us, max 12000us, avg 13750/3 = 4583us, mdev = isqrt((146312500 - 13750^2/3)/3) = 5269us
    CHECK(line_of(format_ping(run), "rtt") == "rtt min/avg/max/mdev = 0.250/4.583/12.000/5.269 ms, pipe 2");
}

TEST_CASE("ping: a second reply to one icmp_seq is a duplicate", "[printer]") {
    PingRun run = replies(kPeer, {0.1, 0.2}, 1000);
    run.events.push_back(PingReply{2, 64, 0.3, kPeer});
    const std::string out = format_ping(run);
    CHECK(line_of(out, "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.300") ==
          "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.300 ms (DUP!)");
    CHECK(line_of(out, "2 packets") == "2 packets transmitted, 2 received, +1 duplicates, 0% packet loss, time 1000ms");
    CHECK(line_of(out, "rtt") == "rtt min/avg/max/mdev = 0.100/0.200/0.300/0.081 ms");
}

TEST_CASE("ping: errors from a router and replies after a hop", "[printer]") {
    const Ipv4 router(10, 0, 1, 254), far(10, 0, 2, 2);
    PingRun run{.dst = far, .transmitted = 2, .events = {}, .elapsed_ms = 1001, .max_outstanding = 1};
    run.events.push_back(PingError{1, router, "Destination Net Unreachable"});
    run.events.push_back(PingReply{2, 63, 0.120, far});
    const std::string out = format_ping(run);
    CHECK(line_of(out, "From") == "From 10.0.1.254 icmp_seq=1 Destination Net Unreachable");
    CHECK(line_of(out, "64 bytes") == "64 bytes from 10.0.2.2: icmp_seq=2 ttl=63 time=0.120 ms");
    CHECK(line_of(out, "2 packets") == "2 packets transmitted, 1 received, +1 errors, 50% packet loss, time 1001ms");
    CHECK(ping_exit_code(run) == 0);
}
