// vethlab verify on the real kernel: the raw-socket prober classifies each probe as the
// simulator does, every class of outcome produced for real (reply, host and net
// unreachable, prohibited, no route, silent loss); `ip route get` through netlink
// agrees with the twin's; and the command, run on a lab built by `vethlab up`, sees the
// seed's ping fail before the route change and work after it.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "backend/netns_query.hpp"
#include "backend/prober.hpp"
#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim/reach.hpp"
#include "sim/route_get.hpp"
#include "sim_scenarios.hpp"
#include "sim_support.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {

const std::string kCli = VETHLAB_CLI;

// a -- r -- b, r forwards and holds a prohibit and an unreachable route; a also has a
// tap without carrier (lo up: ARP fails into a host unreachable to itself); c has no
// route at all; s has a tap without carrier and lo down (the error is lost: silence).
const std::string kClasses = testing::line_script() + R"(ip netns add c
ip netns add s
ip -n c link set lo up
ip -n b route add default via 10.2.0.254
ip netns exec r sysctl -w net.ipv4.ip_forward=1
ip -n r route add prohibit 10.7.0.0/16
ip -n r route add unreachable 10.8.0.0/16
ip -n a tuntap add dev tap0 mode tap
ip -n a addr add 10.3.0.1/24 dev tap0
ip -n a link set tap0 up
ip -n s tuntap add dev tap0 mode tap
ip -n s addr add 10.4.0.1/24 dev tap0
ip -n s link set tap0 up
)";

void run_on_kernel(const KernelLab& lab, const std::string& script) {
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    REQUIRE(parsed.ok());
    for (const auto& e : parsed.topology.edits) {
        EditOp op = e.op;
        REQUIRE(lab.localize(op));
        auto r = run_shell(format_command(op));
        INFO(format_command(op) << ": " << r.err);
        REQUIRE(r.status == 0);
    }
}

Ipv4 ip(const char* text) { return Ipv4::parse(text).value(); }

// Builds the script, written to DIR/NAME.sh, with `vethlab up`, then runs `vethlab verify
// --netns a --peers` on it.
testing::CommandResult up_then_verify_peers_of_a(const KernelLab& lab, const TempDir& dir, const std::string& name,
                                                 const std::string& script) {
    const std::string file = dir.path() + "/" + name + ".sh";
    std::ofstream(file) << script;
    REQUIRE(run_shell(fmt::format("{} up '{}' --prefix {} --state-dir '{}' --quiet", kCli, file, lab.prefix(),
                                  dir.path()))
                .status == 0);
    return run_shell(fmt::format("{} verify '{}' --prefix {} --state-dir '{}' --netns a --peers", kCli, file,
                                 lab.prefix(), dir.path()));
}

}  // namespace

TEST_CASE("kernel: the prober classifies every outcome as the simulator does", "[kernel][verify]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    run_on_kernel(lab, kClasses);
    NetState st;
    testing::build(st, kClasses);
    testing::wait_for_kernel(lab, st);
    const std::vector<sim::Probe> probes = {
        {"a", ip("10.2.0.1"), "b:br0"},   {"a", ip("10.9.9.9"), "nowhere"}, {"a", ip("10.7.0.1"), "prohibited"},
        {"a", ip("10.8.0.1"), "unreach"}, {"a", ip("10.3.0.2"), "tap"},     {"c", ip("10.1.0.1"), "a:ar0"},
        {"s", ip("10.4.0.2"), "tap"},     {"a", ip("10.1.0.1"), "a:ar0"},   {"b", ip("10.1.0.1"), "a:ar0"},
    };
    sim::Kernel twin(st);
    const auto predicted = sim::run_probes(twin, probes);
    std::vector<backend::KernelProbe> kernel_probes;
    for (const auto& p : probes) kernel_probes.push_back({lab.real(p.ns), p.dst, {}});
    auto measured = backend::probe_kernel(kernel_probes);
    REQUIRE(measured);
    std::set<ProbeOutcome> seen;
    for (size_t i = 0; i < probes.size(); ++i) {
        const auto& m = measured.value().answers[i];
        INFO(probes[i].ns << " -> " << probes[i].dst.str() << ": kernel " << to_string(m.outcome) << " " << m.detail
                          << ", simulator " << to_string(predicted[i].outcome) << " " << predicted[i].detail);
        CHECK(m.outcome == predicted[i].outcome);
        if (m.outcome != ProbeOutcome::reply && m.outcome != ProbeOutcome::silent) CHECK(m.detail == predicted[i].detail);
        seen.insert(m.outcome);
    }
    // The scenario is meant to produce each class on the kernel: check it did.
    CHECK(seen == std::set<ProbeOutcome>{ProbeOutcome::reply, ProbeOutcome::host_unreachable,
                                         ProbeOutcome::net_unreachable, ProbeOutcome::prohibited,
                                         ProbeOutcome::no_route, ProbeOutcome::silent});
    // Failures are awaited in parallel: ARP's 3 s once, not once per failing probe.
    CHECK(measured.value().seconds < 4.5);

    // ip route get, through netlink in each namespace, against the twin.
    for (const auto& p : probes) {
        auto q = backend::NetnsQuery::open(lab.real(p.ns));
        REQUIRE(q);
        const auto kernel = q.value().route_get(p.dst);
        const auto sim = sim::route_get(twin, st, p.ns, p.dst);
        INFO(p.ns << ": kernel " << format_route_answer(p.dst, kernel) << "; sim " << format_route_answer(p.dst, sim));
        CHECK(kernel == sim);
    }
}

TEST_CASE("kernel: verify measures a lab it has no file for, and flushes only the lab's neighbours", "[kernel][verify]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    run_on_kernel(lab, kClasses);
    NetState st;
    testing::build(st, kClasses);
    testing::wait_for_kernel(lab, st);
    auto v = run_shell(fmt::format("{} verify --no-predict --prefix {} --netns a b --timeout 1", kCli, lab.prefix()));
    INFO(v.out << v.err);
    CHECK(v.status == 0);
    // Columns: a's 10.1.0.1 (ar0) and 10.3.0.1 (tap0), b's 10.2.0.1. Everything answers
    // but a's tap address seen from b: the router has no route to 10.3.0.0/24.
    CHECK(v.out.find("6 probes measured") != std::string::npos);
    CHECK(v.out.find("a  rrr") != std::string::npos);
    CHECK(v.out.find("b  rnr") != std::string::npos);

    auto q = backend::NetnsQuery::open(lab.real("a"));
    REQUIRE(q);
    CHECK(run_shell("ip -n " + lab.real("a") + " -4 neigh show | grep -c .").out != "0\n");
    auto flushed = q.value().flush_neighbours();
    REQUIRE(flushed);
    CHECK(flushed.value() > 0);
    CHECK(run_shell("ip -n " + lab.real("a") + " -4 neigh show").out.empty());
    CHECK(run_shell("ip -n " + lab.real("r") + " -4 neigh show").out != "");  // others keep theirs
}

TEST_CASE("kernel: vethlab verify on the seed, before and after the route change", "[kernel][verify]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir dir;
    std::ifstream in(testing::example("seed.sh"));
    std::string seed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string before = seed.substr(0, seed.find("ip netns exec ns0 ip route change"));
    const std::string file = dir.path() + "/seed-before.sh";
    std::ofstream(file) << before;
    auto up = run_shell(fmt::format("{} up '{}' --prefix {} --state-dir '{}' --quiet", kCli, file, lab.prefix(),
                                    dir.path()));
    REQUIRE(up.status == 0);

    SECTION("before the fix, the ping fails on the kernel as predicted") {
        auto v = run_shell(fmt::format("{} verify '{}' --prefix {} --state-dir '{}' --timeout 1", kCli, file, lab.prefix(), dir.path()));
        INFO(v.out << v.err);
        CHECK(v.status == 0);
        CHECK(v.out.find("ns0  ..      ..\n") != std::string::npos);  // measured beside predicted: all silent
        CHECK(v.out.find("4 probes: 0 replies, 4 without") != std::string::npos);
        CHECK(v.out.find("0 disagree; 0 table differences") != std::string::npos);
    }
    SECTION("after the fix made by hand, the kernel answers and the file no longer says so") {
        for (const auto& [ns, dev] : {std::pair{"ns0", "veth0"}, std::pair{"ns1", "veth1"}})
            REQUIRE(run_shell(fmt::format("ip -n {}{} route change 10.0.0.0/24 via 0.0.0.0 dev {}", lab.prefix(), ns,
                                          dev))
                        .status == 0);
        auto v = run_shell(fmt::format("{} verify '{}' --prefix {} --state-dir '{}' --timeout 1", kCli, file, lab.prefix(), dir.path()));
        INFO(v.out << v.err);
        CHECK(v.status == 1);
        CHECK(v.out.find("ns0 -> 10.0.0.2 (ns1:tap1): reply; predicted silent") != std::string::npos);
        CHECK(v.out.find("route only on the kernel: table main: 10.0.0.0/24 dev veth0") != std::string::npos);
        CHECK(v.out.find("kernel's ip route get:    10.0.0.2 dev veth0 src 10.0.0.1") != std::string::npos);
        CHECK(v.out.find("simulator's ip route get: 10.0.0.2 dev tap0 src 10.0.0.1") != std::string::npos);
        // The whole file, route change included, is what the kernel now does.
        const std::string fixed = dir.path() + "/seed.sh";
        std::ofstream(fixed) << seed;
        auto w = run_shell(fmt::format("{} verify '{}' --prefix {} --timeout 1", kCli, fixed, lab.prefix()));
        INFO(w.out << w.err);
        CHECK(w.status == 0);
        CHECK(w.out.find("0 disagree") != std::string::npos);
    }
}

TEST_CASE("kernel: verify paces probes predicted to fail, so the ICMP budget of a namespace holds", "[kernel][verify]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    // a's veth has no carrier (b's end is down): ARP for each of b's 60 addresses fails
    // at about the same moment, and a sends itself 60 host unreachables -- beyond the
    // namespace's burst of 50 (icmp_msgs_per_sec), which the simulator does not model.
    std::string script = "ip netns add a\nip netns add b\nip -n a link set lo up\n"
                         "ip -n a link add va type veth peer name vb netns b\n"
                         "ip -n a addr add 10.0.0.1/24 dev va\nip -n a link set va up\n";
    for (int i = 2; i <= 61; ++i) script += fmt::format("ip -n b addr add 10.0.0.{}/24 dev vb\n", i);
    KernelLab lab;
    TempDir dir;
    const auto v = up_then_verify_peers_of_a(lab, dir, "burst", script);
    INFO(v.out << v.err);
    // The namespace's ICMP counters: the errors icmp_msgs_per_sec refused are
    // OutRateLimitGlobal in its /proc/net/snmp (a header line, then a value line).
    const auto snmp = run_shell(fmt::format("ip netns exec {} grep '^Icmp:' /proc/net/snmp", lab.real("a")));
    INFO("ICMP counters of a:\n" << snmp.out);
    std::istringstream lines(snmp.out);
    std::string header, values;
    std::getline(lines, header);
    std::getline(lines, values);
    std::istringstream names(header), numbers(values);
    std::string name, number;
    long limited = -1;
    while (names >> name && numbers >> number)
        if (name == "OutRateLimitGlobal") limited = std::stol(number);
    REQUIRE(limited >= 0);
    auto count = [&](const std::string& what) {
        size_t n = 0;
        for (size_t at = 0; (at = v.out.find(what, at)) != std::string::npos; ++at) ++n;
        return n;
    };
    const size_t errors = count("): host-unreachable from 10.0.0.1");
    const size_t lost = count("): silent; predicted host-unreachable from 10.0.0.1");
    CHECK(v.out.find("60 probes: 0 replies, 60 without") != std::string::npos);
    CHECK(errors + lost == 60);
    // Since Linux 6.11 each error takes a random 0-2 of the 50 credits (icmp_global_consume),
    // so even paced waves lose one now and then (1 run in 11, the first error of the first
    // wave, OutRateLimitGlobal 1). Every error missing must be one the kernel's limiter
    // counted, and the pacing must keep that rare: 60 errors at once lose about ten.
    CHECK(long(lost) <= limited);
    CHECK(limited <= 3);
    // verify reads the same counter: an error the budget refused is no disagreement.
    CHECK(v.status == 0);
    CHECK(v.out.find("60 agree with the simulator, 0 disagree") != std::string::npos);
    CHECK((lost == 0) == (v.out.find("ICMP budget") == std::string::npos));
}

TEST_CASE("kernel: verify tells errors the ICMP budget refused from disagreements", "[kernel][verify]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    // a's budget is empty and never refills (icmp_msgs_per_sec 0, burst 0): every host
    // unreachable it would send itself is refused and counted (OutRateLimitGlobal); the
    // simulator, which leaves the budget out, predicts them.
    const std::string script = "ip netns add a\nip netns add b\nip -n a link set lo up\n"
                               "ip netns exec a sysctl -w net.ipv4.icmp_msgs_per_sec=0\n"
                               "ip netns exec a sysctl -w net.ipv4.icmp_msgs_burst=0\n"
                               "ip -n a link add va type veth peer name vb netns b\n"
                               "ip -n a addr add 10.0.0.1/24 dev va\nip -n a link set va up\n"
                               "ip -n b addr add 10.0.0.2/24 dev vb\nip -n b addr add 10.0.0.3/24 dev vb\n";
    KernelLab lab;
    TempDir dir;
    const auto v = up_then_verify_peers_of_a(lab, dir, "budget", script);
    INFO(v.out << v.err);
    CHECK(v.status == 0);
    CHECK(v.out.find("a -> 10.0.0.2 (b:vb): silent; predicted host-unreachable from 10.0.0.1, which the sender's ICMP "
                     "budget refused\n") != std::string::npos);
    CHECK(v.out.find("warning: 2 predicted ICMP error(s) were not sent: the sender's ICMP budget") != std::string::npos);
    CHECK(v.out.find("(OutRateLimitGlobal: 2 in a)") != std::string::npos);
    CHECK(v.out.find("2 agree with the simulator, 0 disagree") != std::string::npos);
    // --strict fails on it, as on any warning; --no-predict has nothing to excuse.
    const std::string file = dir.path() + "/budget.sh";
    auto strict = run_shell(fmt::format("{} verify '{}' --prefix {} --state-dir '{}' --netns a --peers --strict", kCli,
                                        file, lab.prefix(), dir.path()));
    CHECK(strict.status == 1);
}
