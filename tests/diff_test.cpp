// The differential test of simulator against kernel (issue 5): [diff-unit] checks the
// generator, the comparison and the shrinker without root; [diff] runs the corpus
// (tests/corpus/*.sh, disagreements found once and fixed) and >= 200 random cases on
// the kernel, in fresh namespaces each.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>

#include "analysis/diff_case.hpp"
#include "analysis/diff_compare.hpp"
#include "analysis/diff_run.hpp"
#include "analysis/diff_shrink.hpp"
#include "backend/command_lab.hpp"
#include "model/ip_script.hpp"
#include "shell.hpp"
#include "sim/script_runner.hpp"

using namespace vethlab;
using namespace vethlab::analysis;

namespace {

std::vector<CommandOutput> on_kernel(const std::vector<Edit>& edits) {
    backend::CommandLab lab;
    std::vector<CommandOutput> out;
    for (auto& s : lab.run(edits)) out.push_back({std::move(s.out), s.skipped ? -1 : s.status, s.uptime, {}});
    return out;
}

// The simulator itself as the "kernel": every case must agree with it.
std::vector<CommandOutput> on_twin(const std::vector<Edit>& edits) {
    sim::ScriptRunner twin;
    std::vector<CommandOutput> out;
    for (const auto& e : edits) {
        auto r = twin.run(e);
        out.push_back({r.output, r.exit_code});
    }
    return out;
}

}  // namespace

TEST_CASE("diff case generator: one seed one script, and every script parses", "[diff-unit]") {
    CHECK(generate_case(7) == generate_case(7));
    CHECK(generate_case(7) != generate_case(8));
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        const std::string script = generate_case(seed);
        INFO("seed " << seed << "\n" << script);
        REQUIRE(parse_ip_script(script, "case.sh").ok());
    }
}

TEST_CASE("diff case generator: 200 seeds cover every feature the issue lists", "[diff-unit]") {
    const std::vector<std::pair<std::string, std::string>> features = {
        {"lo up", "link set lo up"},           {"lo down", "link set lo down"},
        {"link down", " down\n"},              {"tap", "tuntap add dev tap0 mode tap"},
        {"route to the tap", "dev tap0"},      {"route change", "route change"},
        {"route replace", "route replace"},    {"route del", "route del"},
        {"gateway", " via 10."},               {"metric", " metric "},
        {"tie (append)", "route append"},      {"forwarding on", "ip_forward=1"},
        {"forwarding off", "ip_forward=0"},    {"weak host address", "/32 dev lo"},
        {"overlapping /16", ".9.1/16"},        {"same /24 twice", ".0.3/24"},
        {"blackhole", "route add blackhole"},  {"unreachable", "unreachable "},
        {"prohibit", "prohibit "},             {"rp_filter", "rp_filter="},
        {"arp_ignore", "arp_ignore="},         {"gateway nowhere", "via 10.99.0.1"},
        {"ping", "ping -c 1"},                 {"ARP give-up wait", "-W 4 "},
        {"ip neigh", " neigh\n"},              {"ip route", " route\n"},
        {"address deleted", "addr del"},       {"ip link", "-br link"},
    };
    std::string all;
    for (uint64_t seed = 1; seed <= 200; ++seed) all += generate_case(seed);
    for (const auto& [name, needle] : features) {
        INFO(name << ": '" << needle << "'");
        CHECK(all.find(needle) != std::string::npos);
    }
}

// Veth pairs of a generated script whose two ends are ever enslaved to bridges (in any
// namespaces). The generator never makes one: a bridge coming up sends IGMP reports that a
// bridge at the far end learns from, which the simulator does not model. Returns the pairs
// with one end enslaved and those with both.
namespace {
std::pair<int, int> veth_pairs_joining_two_bridges(const std::string& script) {
    const Parsed p = parse_ip_script(script, "case.sh");
    std::vector<std::pair<std::string, std::string>> pairs;  // "ns/dev" of both ends
    std::set<std::string> enslaved;
    for (const auto& e : p.topology.edits) {
        if (const auto* add = std::get_if<LinkAdd>(&e.op); add && add->kind == LinkKind::veth)
            pairs.emplace_back(add->netns.value_or(add->ns) + "/" + add->name,
                               add->peer_netns.value_or(add->ns) + "/" + add->peer);
        else if (const auto* set = std::get_if<LinkSet>(&e.op); set && set->master && !set->master->empty())
            enslaved.insert(set->ns + "/" + set->name);
    }
    int one = 0, both = 0;
    for (const auto& [a, b] : pairs) {
        one += enslaved.count(a) + enslaved.count(b) == 1;
        both += enslaved.count(a) && enslaved.count(b);
    }
    return {one, both};
}
}  // namespace

TEST_CASE("diff case generator: bridges come from a stream appended after the old script", "[diff-unit]") {
    CaseOptions old;
    old.bridges = false;
    int with_bridge = 0, port_pairs = 0, joined_bridges = 0;
    std::string all;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
        const std::string before = generate_case(seed, old), now = generate_case(seed);
        INFO("seed " << seed << "\n" << now);
        REQUIRE(now.rfind(before, 0) == 0);  // the old script is a prefix: old seeds keep their lines
        REQUIRE(parse_ip_script(now, "case.sh").ok());
        CHECK(before.find("type bridge") == std::string::npos);
        with_bridge += now.find("type bridge") != std::string::npos;
        const auto [one_port, two_ports] = veth_pairs_joining_two_bridges(now);
        port_pairs += one_port;
        joined_bridges += two_ports;
        all += now;
    }
    CHECK(with_bridge >= 40);
    CHECK(with_bridge <= 150);
    CHECK(port_pairs >= 40);  // the check below sees the enslaved ports
    CHECK(joined_bridges == 0);
    for (const std::string needle : {"link add br0 type bridge", "link add br1 type bridge", " master br0\n", " nomaster\n",
                                     "link set br0 down", "link set br0 up", "dev br0\n", "fdb show\n",
                                     "fdb show br br", "10.50.0.1", "-4 -br addr"}) {
        INFO(needle);
        CHECK(all.find(needle) != std::string::npos);
    }
}

TEST_CASE("diff compare: bridge fdb show compares the master lines, MACs masked", "[diff-unit]") {
    const Edit fdb{Show{"sw", ShowWhat::bridge_fdb, false, std::nullopt, std::nullopt}, {}, "bridge fdb show"};
    const std::string sim = "02:00:00:00:01:01 dev va master br0 \n02:00:00:00:00:01 dev va master br0 permanent\n";
    const std::string kernel = "33:33:00:00:00:01 dev va self permanent\n"
                               "aa:bb:cc:00:01:01 dev va master br0 \n"
                               "aa:bb:cc:00:00:01 dev va master br0 permanent\n"
                               "01:00:5e:00:00:01 dev br0 self permanent\n";
    CHECK_FALSE(compare_command(fdb, {sim, 0}, {kernel, 0}).has_value());
    const std::string unlearned = "aa:bb:cc:00:00:01 dev va master br0 permanent\n";
    CHECK(compare_command(fdb, {sim, 0}, {unlearned, 0}).has_value());
}

TEST_CASE("diff compare: times, MACs and neighbour order are normalised, nothing else", "[diff-unit]") {
    const Edit ping{Ping{"a", Ipv4(10, 0, 0, 2)}, {}, "ping"};
    const std::string k = "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
                          "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.061 ms\n\n"
                          "--- 10.0.0.2 ping statistics ---\n"
                          "1 packets transmitted, 1 received, 0% packet loss, time 0ms\n"
                          "rtt min/avg/max/mdev = 0.061/0.061/0.061/0.000 ms\n";
    std::string s = k;
    s.replace(s.find("0.061 ms"), 8, "0.020 ms");
    s.replace(s.find("0.061/0.061/0.061"), 17, "0.020/0.020/0.020");
    CHECK_FALSE(compare_command(ping, {s, 0}, {k, 0}).has_value());
    std::string ttl = s;
    ttl.replace(ttl.find("ttl=64"), 6, "ttl=63");
    CHECK(compare_command(ping, {ttl, 0}, {k, 0}).has_value());
    CHECK(compare_command(ping, {s, 1}, {k, 0})->what == "exit status");

    const Edit neigh{Show{"a", ShowWhat::ip_neigh}, {}, "ip neigh"};
    const std::string n1 = "10.0.0.2 dev v0a lladdr 12:34:56:78:9a:bc REACHABLE\n10.0.0.9 dev v0a  INCOMPLETE\n";
    const std::string n2 = "10.0.0.9 dev v0a  FAILED\n10.0.0.2 dev v0a lladdr 02:00:00:00:00:01 DELAY\n";
    // States are compared exactly, except the twin's unsettled entries (a timer near).
    CHECK(compare_command(neigh, {n1, 0}, {n2, 0}).has_value());
    const CommandOutput near{n1, 0, -1, {"10.0.0.2 dev v0a", "10.0.0.9 dev v0a"}};
    CHECK_FALSE(compare_command(neigh, near, {n2, 0}).has_value());
    CHECK(compare_command(neigh, near, {n2, 0}, {true}).has_value());
    CHECK(compare_command(neigh, near, {"10.0.0.9 dev v0a  FAILED\n", 0}).has_value());
    const CommandOutput one_near{n1, 0, -1, {"10.0.0.9 dev v0a"}};
    CHECK(compare_command(neigh, one_near, {n2, 0}).has_value());
    const std::string n3 = "10.0.0.9 dev v0a  FAILED\n10.0.0.2 dev v0a lladdr 02:00:00:00:00:01 REACHABLE\n";
    CHECK_FALSE(compare_command(neigh, one_near, {n3, 0}).has_value());

    const Edit route{RouteEdit{"a"}, {}, "ip route add"};
    CHECK_FALSE(compare_command(route, {"", 0}, {"", 0}).has_value());
    CHECK(compare_command(route, {"", 0}, {"RTNETLINK answers: File exists\n", 2})->what == "refused on one side");
    CHECK(compare_command(route, {"Error: Nexthop has invalid gateway.\n", 2}, {"RTNETLINK answers: File exists\n", 2})
              ->what == "message");
}

TEST_CASE("diff shrink: ddmin keeps only the lines the failure needs", "[diff-unit]") {
    std::string script = "# header\n";
    for (int i = 0; i < 40; ++i) script += "line " + std::to_string(i) + "\n";
    auto fails = [](const std::string& s) {
        return s.find("line 3\n") != std::string::npos && s.find("line 31\n") != std::string::npos;
    };
    const ShrinkResult r = shrink_script(script, fails);
    CHECK(r.script == "# header\nline 3\nline 31\n");
    CHECK(r.runs < 100);
}

TEST_CASE("diff run: the simulator agrees with itself, and a changed output is found at its line", "[diff-unit]") {
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        CHECK_FALSE(diff_script(generate_case(seed), on_twin).has_value());
    }
    const std::string script = generate_case(3);
    auto tampered = [](const std::vector<Edit>& edits) {
        auto out = on_twin(edits);
        for (size_t i = 0; i < edits.size(); ++i)
            if (std::holds_alternative<Show>(edits[i].op)) {
                out[i].out += "extra\n";
                break;
            }
        return out;
    };
    const auto d = diff_script(script, tampered);
    REQUIRE(d);
    CHECK(d->mismatch.what == "output");
    CHECK(d->mismatch.kernel.find("extra") != std::string::npos);
    CHECK(describe(*d).find("# disagreement (output) at line ") == 0);
}

TEST_CASE("diff: the corpus agrees on the kernel", "[diff][kernel]") {
    if (auto why = backend::command_lab_unavailable()) {
        WARN("kernel test skipped: " << *why);
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(VETHLAB_SOURCE_DIR "/tests/corpus"))
        if (e.path().extension() == ".sh") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        const std::string script = testing::read_text_file(f.string());
        INFO(f.filename().string() << "\n" << script);
        const auto d = diff_script(script, on_kernel);
        INFO((d ? describe(*d) : std::string()));
        CHECK_FALSE(d.has_value());
    }
}

TEST_CASE("diff: 200 random cases agree on the kernel", "[diff][kernel]") {
    if (auto why = backend::command_lab_unavailable()) {
        WARN("kernel test skipped: " << *why);
        return;
    }
    std::vector<uint64_t> seeds;
    for (uint64_t s = 1; s <= 199; ++s) seeds.push_back(s);
    const uint64_t fresh = std::random_device{}() % 1000000000 + 1000;
    seeds.push_back(fresh);
    WARN("fresh seed " << fresh << " (rerun: vethlab fuzz-diff --cases 1 --seed " << fresh << ")");
    RunOptions opt;
    opt.jobs = 4;
    const auto start = std::chrono::steady_clock::now();
    const auto results = run_cases(seeds, on_kernel, opt);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t agree = 0;
    for (const auto& r : results) {
        INFO("seed " << r.seed << "\n" << r.script);
        INFO((r.disagreement ? describe(*r.disagreement) : r.error));
        CHECK(r.error.empty());
        CHECK_FALSE(r.disagreement.has_value());
        agree += r.error.empty() && !r.disagreement;
        if (r.unconfirmed)  // seen once, not on a rerun: the kernel's timing, reported
            WARN("seed " << r.seed << ": not seen again on a rerun (kernel timing): " << describe(*r.unconfirmed));
    }
    WARN(agree << " of " << results.size() << " cases agree; " << wall << " s wall");
}

TEST_CASE("diff: a disagreement counts only when a rerun shows it again", "[diff-unit]") {
    // A kernel side that adds a line to the first observation of its first run only
    // (timing), and one that always does (a real disagreement).
    auto tamper = [](std::vector<CommandOutput> out, const std::vector<Edit>& edits) {
        for (size_t i = 0; i < edits.size(); ++i)
            if (std::holds_alternative<Show>(edits[i].op)) {
                out[i].out += "extra\n";
                break;
            }
        return out;
    };
    std::atomic<int> calls{0};
    auto once = [&](const std::vector<Edit>& edits) {
        return calls++ == 0 ? tamper(on_twin(edits), edits) : on_twin(edits);
    };
    auto always = [&](const std::vector<Edit>& edits) { return tamper(on_twin(edits), edits); };
    RunOptions opt;
    opt.jobs = 1;
    const auto flaky = run_cases({3}, once, opt);
    REQUIRE(flaky.size() == 1);
    CHECK_FALSE(flaky[0].disagreement.has_value());
    REQUIRE(flaky[0].unconfirmed.has_value());
    CHECK(flaky[0].unconfirmed->mismatch.kernel.find("extra") != std::string::npos);
    CHECK(flaky[0].runs == 2);
    const auto real = run_cases({3}, always, opt);
    CHECK(real[0].disagreement.has_value());
    CHECK_FALSE(real[0].unconfirmed.has_value());
    CHECK(real[0].runs == 3);
    opt.reruns = 0;
    calls = 0;
    const auto strict = run_cases({3}, once, opt);
    CHECK(strict[0].disagreement.has_value());
    CHECK(strict[0].runs == 1);
}
