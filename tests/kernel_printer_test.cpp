// The kernel is the oracle for the printers: real `ping`, `ip link`, `ip -4 addr` (and -br)
// in throwaway namespaces, compared line by line with sim's printers fed with the same
// state (NetState after the same edits) or, for ping, with the events the kernel produced.
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include "kernel_lab.hpp"
#include "sim_scenarios.hpp"
#include "sim_support.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/netstate.hpp"
#include "sim/link_printer.hpp"
#include "sim/ping_report.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;

namespace {

std::vector<Edit> edits_of(const std::string& script) {
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    INFO(script);
    REQUIRE(parsed.ok());
    return parsed.topology.edits;
}

// ip's stdout and stderr, namespace names without the lab prefix, and without the
// error ip prints when a namespace another test is creating meanwhile cannot be
// resolved (seen once in CI, ctest -j2).
std::string kernel_ip(const KernelLab& lab, const std::string& ns, const std::string& args) {
    const auto r = testing::run_shell("ip -n " + lab.real(ns) + " " + args);
    return lab.unlocalize(analysis::strip_dump_noise(r.out + r.err));
}

struct View {
    std::string args;  // after `ip -n NS`
    bool brief;
    bool addr;
    std::optional<std::string> dev;
};

std::vector<View> views_of(const Namespace& ns) {
    std::vector<View> v{{"link", false, false, {}}, {"-4 addr", false, true, {}}, {"-br link", true, false, {}},
                        {"-br -4 addr", true, true, {}}, {"link show dev nope0", false, false, "nope0"},
                        {"-br -4 addr show dev nope0", true, true, "nope0"}};
    for (const auto& l : ns.links) {
        v.push_back({"link show dev " + l.name, false, false, l.name});
        v.push_back({"-4 addr show dev " + l.name, false, true, l.name});
        v.push_back({"-br link show dev " + l.name, true, false, l.name});
    }
    return v;
}

std::string model_view(const NetState& st, const Namespace& ns, const View& v) {
    return v.addr ? sim::format_ip_addr(st, ns, v.brief, v.dev) : sim::format_ip_link(st, ns, v.brief, v.dev);
}

std::string kernel_snapshot(const KernelLab& lab, const NetState& st) {
    std::string now;
    for (const auto& [name, ns] : st.namespaces())
        if (!name.empty()) now += kernel_ip(lab, name, "link") + kernel_ip(lab, name, "-4 addr");
    return now;
}

// An admin-up device shows exactly one of NO-CARRIER (not oper-up) and LOWER_UP (carrier)
// once linkwatch has run for it; both or neither means its operstate is still pending.
bool flags_settled(const std::string& snapshot) {
    static const std::regex flags("<([A-Z_,-]*)>");
    for (std::sregex_iterator it(snapshot.begin(), snapshot.end(), flags), end; it != end; ++it) {
        const std::string f = "," + (*it)[1].str() + ",";
        if (f.find(",UP,") == std::string::npos) continue;
        const bool no_carrier = f.find(",NO-CARRIER,") != std::string::npos;
        const bool lower_up = f.find(",LOWER_UP,") != std::string::npos;
        if (no_carrier == lower_up) return false;
    }
    return true;
}

// Carrier and operstate follow asynchronously (linkwatch; up to a second for a device whose
// IFLA_LINK equals its own ifindex): wait until ip's output is consistent and settles.
void settle(const KernelLab& lab, const NetState& st) {
    std::string last;
    for (int i = 0; i < 40; ++i) {
        std::string now = kernel_snapshot(lab, st);
        if (now == last && flags_settled(now)) return;
        last = now;
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
}

void compare_views(const KernelLab& lab, const NetState& st, bool mask) {
    settle(lab, st);
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        for (const auto& v : views_of(ns)) {
            INFO("ip -n " << name << " " << v.args);
            std::string kernel = kernel_ip(lab, name, v.args);
            std::string model = model_view(st, ns, v);
            CHECK((mask ? testing::mask_macs(model) : model) == (mask ? testing::mask_macs(kernel) : kernel));
        }
    }
}

// `ip [-br] link|addr show [dev X]` written in a scenario: that view, at that point.
void checkpoint(const KernelLab& lab, const NetState& st, const Show& show, bool mask) {
    if (show.what != ShowWhat::ip_link && show.what != ShowWhat::ip_addr) return;
    settle(lab, st);
    const bool addr = show.what == ShowWhat::ip_addr;
    std::string args = std::string(show.brief ? "-br " : "") + (addr ? "-4 addr" : "link");
    if (show.dev) args += " show dev " + *show.dev;
    INFO("ip -n " << show.ns << " " << args);
    const Namespace* ns = st.ns(show.ns);
    REQUIRE(ns);
    const std::string kernel = kernel_ip(lab, show.ns, args);
    const std::string model = model_view(st, *ns, View{args, show.brief, addr, show.dev});
    CHECK((mask ? testing::mask_macs(model) : model) == (mask ? testing::mask_macs(kernel) : kernel));
}

// Every edit on both; each `ip link`/`ip addr` in the script compared where it stands;
// at the end every view of every namespace.
void run_scenario(const std::string& script, bool mask_mac) {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    NetState st;
    for (const auto& edit : edits_of(script)) {
        INFO("line " << edit.loc.line << ": " << edit.text);
        if (const auto* show = std::get_if<Show>(&edit.op)) checkpoint(lab, st, *show, mask_mac);
        else if (!edit.is_observation()) testing::apply_on_both(lab, st, edit);
    }
    compare_views(lab, st, mask_mac);
}

}  // namespace

TEST_CASE("kernel: ip link and ip -4 addr of veths across namespaces and addresses on lo", "[kernel][printer]") {
    run_scenario(R"(
ip netns add a
ip netns add b
ip -n a link add veth0 address 02:00:00:00:0a:01 type veth peer name veth1 netns b address 02:00:00:00:0b:01
ip -n a addr add 10.0.0.1/24 dev veth0
ip -n a addr add 10.0.0.5/24 dev veth0
ip -n a addr add 10.9.0.1/32 dev veth0
ip -n a addr add 10.1.0.1/31 dev veth0
ip -n b addr add 10.0.0.2/24 dev veth1
ip -n a link set veth0 up
ip -n a link set lo up
ip -n a addr add 10.5.0.1/24 dev lo
ip -n a addr add 127.0.0.2/8 dev lo
ip -n a link add w0 mtu 9000 address 02:00:00:00:0a:02 type veth peer name w1 netns b mtu 9000 address 02:00:00:00:0b:02
ip -n a link set w0 up
ip -n b link set veth1 up
ip -n b link set w1 mtu 1400
)",
                 false);
}

TEST_CASE("kernel: ip link and ip -4 addr through the seed scenario with taps and a moved veth", "[kernel][printer]") {
    run_scenario(R"(
ip netns add ns0
ip netns add ns1
ip netns add mid
ip -n ns0 tuntap add dev tap0 mode tap
ip -n ns1 tuntap add dev tap1 mode tap
ip -n ns0 addr add 10.0.0.1/24 dev tap0
ip -n ns1 addr add 10.0.0.2/24 dev tap1
ip -n ns0 link set tap0 up
ip -n ns0 link
ip -n ns0 addr
ip -n mid link add veth0 type veth peer name veth1 netns ns1
ip -n mid -br link
ip -n ns1 link show veth1
ip -n mid link set veth0 netns ns0
ip -n ns0 link set veth0 up
ip -n ns0 -br link
ip -n ns1 link set veth1 up
ip -n ns1 link set tap1 up
ip -n ns0 link show dev veth0
ip -n ns1 link set veth1 name eth1
ip -n ns0 addr add 10.0.1.1/24 dev veth0
ip -n ns0 -br addr
ip -n ns1 addr show dev eth1
)",
                 true);
}

// A veth whose peer is elsewhere and down: the kernel's default_operstate looks the peer's
// ifindex up in the device's own namespace -- DOWN or LOWERLAYERDOWN depending on which
// unrelated device holds that index. q0 (a:3) -> p0 b:2 = t1 in a, no carrier:
// LOWERLAYERDOWN; q1 (a:4) -> p1 b:5, no a:5: DOWN; q3 (c:3) -> p3 d:2 = c0 in c, which
// has carrier: DOWN. (tests/link_printer_test.cpp checks the same script on the model.)
const std::string& kRemotePeerDown = testing::remote_peer_down_script();

TEST_CASE("kernel: operstate of a veth whose remote peer is down", "[kernel][printer]") {
    run_scenario(kRemotePeerDown, true);
}

// Where NetState and the kernel part (model/, not the printers): kept as a record that
// Details the model once got wrong:
//  - veth_newlink registers the peer first: in one namespace the peer gets the lower ifindex;
//  - a peer given by `peer name P` without mtu gets 1500, not the first end's mtu;
//  - a device that was up keeps its qdisc (noqueue, pfifo_fast) after going down, and
//    loses it (noop) when it moves to another namespace;
//  - `brd +`, `brd -` and `brd ADDRESS` show as "brd X" in `ip addr`.
TEST_CASE("kernel: ifindex order, peer mtu, qdisc after down, broadcast addresses", "[kernel][printer]") {
    run_scenario(R"(
ip netns add a
ip netns add b
ip -n a link add v2 type veth peer name v3
ip -n a link add w0 mtu 9000 type veth peer name w1
ip -n a link add x0 type veth peer name x1 netns b
ip -n a tuntap add dev tap0 mode tap
ip -n a link set tap0 up
ip -n a link set tap0 down
ip -n a link set v2 up
ip -n a link set v2 down
ip -n a link set x0 up
ip -n a link set x0 netns b
ip -n a addr add 10.0.0.1/24 brd + dev v3
ip -n a addr add 10.0.0.9/24 brd + dev v3
ip -n a addr add 10.1.0.1/24 brd 10.1.0.7 dev v3
ip -n a addr add 10.2.0.1/24 brd - dev v3
ip -n a addr add 10.3.0.1/31 brd + dev w0
ip -n a addr add 10.4.0.1/30 broadcast 255.255.255.255 dev w0
)",
                 true);
}

// ---- ping -------------------------------------------------------------------------------

namespace {

const std::string& kPingPair = testing::pair_script();

// Times differ from run to run: mask every measured number.
std::string mask_times(std::string text) {
    static const std::regex reply(" time=[0-9.]+ ms"), total(", time [0-9]+ms"), rtt("mdev = [0-9./]+ ms");
    text = std::regex_replace(text, reply, " time=<t> ms");
    text = std::regex_replace(text, total, ", time <t>ms");
    return std::regex_replace(text, rtt, "mdev = <rtt> ms");
}

// The reply times ping printed, in ms; exact (whole microseconds) only while all are < 1 ms.
std::vector<double> printed_times(const std::string& out, bool& exact) {
    static const std::regex time(" time=([0-9.]+) ms");
    std::vector<double> times;
    exact = true;
    for (std::sregex_iterator it(out.begin(), out.end(), time), end; it != end; ++it) {
        const std::string t = (*it)[1].str();
        exact = exact && t.size() == 5 && t[1] == '.';
        times.push_back(std::stod(t));
    }
    return times;
}

double printed_elapsed(const std::string& out) {
    static const std::regex total(", time ([0-9]+)ms");
    std::smatch m;
    return std::regex_search(out, m, total) ? std::stod(m[1].str()) : 0;
}

struct RealPing {
    int status = 0;
    std::string out;  // stdout, then stderr
};

RealPing real_ping(const KernelLab& lab, const std::string& ns, const std::string& args) {
    const auto r = testing::run_shell("ip netns exec " + lab.real(ns) + " ping " + args);
    return {r.status, r.out + r.err};
}

sim::PingRun echo_replies(Ipv4 dst, int n, const std::vector<double>& times) {
    sim::PingRun run;
    run.dst = dst;
    run.transmitted = n;
    run.max_outstanding = 1;
    for (int seq = 1; seq <= n; ++seq)
        run.events.push_back(sim::PingReply{seq, 64, size_t(seq) <= times.size() ? times[seq - 1] : 0.05, dst});
    return run;
}

void check_ping(const sim::PingRun& run, const RealPing& real) {
    INFO(real.out);
    CHECK(mask_times(sim::format_ping(run)) == mask_times(real.out));
    CHECK(sim::ping_exit_code(run) == real.status);
}

// Builds the namespaces of script on the kernel; the model follows for settle().
void build(const KernelLab& lab, NetState& st, const std::string& script) {
    for (const auto& edit : edits_of(script))
        if (!edit.is_observation()) testing::apply_on_both(lab, st, edit);
    settle(lab, st);
}

}  // namespace

TEST_CASE("kernel: ping output event by event", "[kernel][printer]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    NetState st;
    const Ipv4 peer(10, 0, 0, 2), nobody(10, 0, 0, 9), self(10, 0, 0, 1);

    SECTION("replies from a veth peer; the rtt summary recomputed from the printed times") {
        build(lab, st, kPingPair);
        const RealPing real = real_ping(lab, "a", "-c 3 -i 0.2 10.0.0.2");
        bool exact = false;
        sim::PingRun run = echo_replies(peer, 3, printed_times(real.out, exact));
        run.elapsed_ms = printed_elapsed(real.out);
        check_ping(run, real);
        if (exact) CHECK(sim::format_ping(run) == real.out);  // min/avg/max/mdev to the microsecond
    }
    SECTION("-q prints the header and the summary only") {
        build(lab, st, kPingPair);
        sim::PingRun run = echo_replies(peer, 3, {});
        run.quiet = true;
        check_ping(run, real_ping(lab, "a", "-q -c 3 -i 0.2 10.0.0.2"));
    }
    SECTION("an unresolvable neighbour with lo up: Destination Host Unreachable and +errors and pipe") {
        build(lab, st, kPingPair + "ip -n a link set lo up\n");
        sim::PingRun run{.dst = nobody, .transmitted = 3, .events = {}, .elapsed_ms = 400, .max_outstanding = 3};
        for (int seq = 1; seq <= 3; ++seq)
            run.events.push_back(sim::PingError{seq, self, "Destination Host Unreachable"});
        check_ping(run, real_ping(lab, "a", "-c 3 -i 0.2 -W 5 10.0.0.9"));
    }
    SECTION("the same with lo down: silent loss") {
        build(lab, st, kPingPair);
        check_ping(sim::PingRun{.dst = nobody, .transmitted = 3, .events = {}, .elapsed_ms = 400},
                   real_ping(lab, "a", "-c 3 -i 0.2 -W 1 10.0.0.9"));
    }
    SECTION("no route: connect fails before anything is sent") {
        build(lab, st, kPingPair);
        sim::PingRun run{.dst = Ipv4(192, 168, 7, 7)};
        run.fatal = "ping: connect: Network is unreachable";
        check_ping(run, real_ping(lab, "a", "-c 3 -i 0.2 -W 1 192.168.7.7"));
    }
    SECTION("-I ADDRESS and -I DEVICE name the source in the first line; a foreign -I fails bind") {
        build(lab, st, kPingPair + "ip -n a addr add 10.0.0.5/24 dev veth0\n");
        for (const char* args : {"-c 2 -i 0.2 -I 10.0.0.5 10.0.0.2", "-c 2 -i 0.2 -I veth0 10.0.0.2",
                                 "-c 2 -i 0.2 -I 10.0.0.77 10.0.0.2"}) {
            INFO(args);
            sim::Kernel k(st);
            const sim::PingRun run = testing::sim_ping(k, st, "a", args);
            check_ping(run, real_ping(lab, "a", args));
            CHECK(testing::outcome(run) == testing::outcome_of_output(real_ping(lab, "a", args).out));
        }
    }
}
