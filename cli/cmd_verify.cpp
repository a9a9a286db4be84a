// vethlab verify FILE: real ICMP echoes from every namespace of a deployed lab to every
// address of its topology (or to each veth's far end), beside what the simulator
// predicts for the same edits; also `ip route get` for each probe and the tables.
// Exit 1 on any disagreement, explaining the first few.
#include <algorithm>
#include <filesystem>
#include <thread>
#include <iostream>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "backend/icmp_stats.hpp"
#include "backend/journal.hpp"
#include "backend/neigh_stats.hpp"
#include "backend/netns_query.hpp"
#include "backend/privileges.hpp"
#include "backend/prober.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "cli/verify_report.hpp"
#include "cli/verify_tables.hpp"
#include "sim/route_get.hpp"
#include "sim/route_printer.hpp"
#include "sim/script_runner.hpp"

namespace vethlab::cli {
namespace {

struct VerifyOptions {
    std::string file, prefix, name, state_dir;
    std::vector<std::string> netns;
    bool peers = false, json = false, strict = false, no_predict = false;
    double timeout = 4;
    int explain = 3;
};

// ICMP errors share a per-namespace budget (icmp_msgs_per_sec 1000, burst 50, not in
// the simulator): probes predicted to end in an error leave in waves of 25, 30 ms
// apart, so no sender runs out. Replies are not limited and all leave at once.
constexpr size_t kErrorWave = 25;
constexpr std::chrono::milliseconds kWaveGap{30};

bool is_error(ProbeOutcome o) { return o != ProbeOutcome::reply && o != ProbeOutcome::silent && o != ProbeOutcome::no_route; }

std::unique_ptr<sim::ScriptRunner> replay(const Topology& topo) {
    auto runner = std::make_unique<sim::ScriptRunner>();
    for (const auto& e : topo.edits)
        if (!e.is_observation()) runner->run(e);
    return runner;
}

// The simulator's account of one probe, for a disagreement.
std::string explain(const Topology& topo, const VerifyProbe& p) {
    auto runner = replay(topo);
    std::vector<std::string> why;
    runner->kernel().set_trace([&why](const std::string& line) { why.push_back(line); });
    const auto sim_result = sim::run_probes(runner->kernel(), std::vector<sim::Probe>{p.probe});
    std::string out = fmt::format("{} -> {} ({}): the kernel says {}{}, the simulator {}{}\n", p.probe.ns,
                                  p.probe.dst.str(), p.probe.target, to_string(p.measured.outcome),
                                  p.measured.detail.empty() ? "" : " " + p.measured.detail,
                                  to_string(sim_result[0].outcome),
                                  sim_result[0].detail.empty() ? "" : " " + sim_result[0].detail);
    if (p.kernel_route) out += "  kernel's ip route get:    " + format_route_answer(p.probe.dst, *p.kernel_route) + "\n";
    if (p.sim_route) out += "  simulator's ip route get: " + format_route_answer(p.probe.dst, *p.sim_route) + "\n";
    out += "  why, in the simulator:\n";
    for (const auto& line : why) out += "    " + line + "\n";
    return out;
}

std::vector<sim::Probe> select_probes(const VerifyOptions& o, const NetState& st) {
    auto probes = o.peers ? sim::peer_probes(st) : sim::all_pairs(st);
    if (o.netns.empty()) return probes;
    const std::set<std::string> keep(o.netns.begin(), o.netns.end());
    std::erase_if(probes, [&](const sim::Probe& p) { return !keep.count(p.ns); });
    return probes;
}

// Each probe across a veth leaves a neighbour entry on both sides, and the host's ARP
// table (shared by every namespace) refuses entries beyond gc_thresh3. When the probes
// would need more than is free, they go in waves that fit, both directions of a pair
// in the same wave and probes predicted to fail first (they are the slow ones), with
// the lab's neighbour caches flushed between waves (never the host's).
Result<backend::ProbeRun> probe_in_waves(const VerifyOptions& o, const std::vector<sim::Probe>& probes,
                                         const std::vector<sim::ProbeResult>& predicted,
                                         std::map<std::string, backend::NetnsQuery>& spaces, size_t& waves) {
    size_t wave = std::max<size_t>(1, probes.size());
    const auto stats = backend::arp_table_stats();
    const auto thresh = backend::arp_gc_thresh3();
    if (stats && thresh) {
        const uint64_t free = *thresh > stats->entries + 128 ? *thresh - stats->entries - 128 : 64;
        wave = std::max<size_t>(32, size_t(free / 2));
    }
    std::vector<size_t> order(probes.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (wave < probes.size()) {
        auto key = [&](size_t i) {
            const std::string& a = probes[i].ns;
            const std::string b = probes[i].target.substr(0, probes[i].target.find(':'));
            const bool fails = !predicted.empty() && predicted[i].outcome != ProbeOutcome::reply;
            return std::tuple(!fails, std::min(a, b), std::max(a, b));
        };
        std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return key(x) < key(y); });
    }
    backend::ProbeRun all;
    all.answers.resize(probes.size());
    waves = 0;
    const backend::ProberOptions opts{std::chrono::milliseconds(int64_t(o.timeout * 1000)), 56};
    for (size_t start = 0; start < order.size(); start += wave) {
        if (start > 0)
            for (auto& [name, q] : spaces) q.flush_neighbours();
        const size_t end = std::min(order.size(), start + wave);
        std::vector<backend::KernelProbe> kernel_probes;
        size_t errors = 0;
        for (size_t k = start; k < end; ++k) {
            const size_t i = order[k];
            backend::KernelProbe kp{o.prefix + probes[i].ns, probes[i].dst, {}};
            if (!predicted.empty() && is_error(predicted[i].outcome)) kp.send_after = kWaveGap * (errors++ / kErrorWave);
            kernel_probes.push_back(std::move(kp));
        }
        ++waves;
        auto run = backend::probe_kernel(kernel_probes, opts);
        if (!run) return Error{run.error()};
        for (size_t k = start; k < end; ++k) all.answers[order[k]] = std::move(run.value().answers[k - start]);
        all.seconds += run.value().seconds;
    }
    return all;
}

// The namespaces' ICMP counters (names as in the file); one that cannot be read is left out.
std::map<std::string, backend::IcmpCounters> icmp_counters(const VerifyOptions& o,
                                                           const std::map<std::string, backend::NetnsQuery>& spaces) {
    std::map<std::string, backend::IcmpCounters> out;
    for (const auto& [name, q] : spaces)
        if (auto c = backend::icmp_counters(o.prefix + name)) out.emplace(name, c.value());
    return out;
}

// A probe predicted to end in an ICMP error, silent on the kernel, while the sender's
// OutRateLimitGlobal grew: its ICMP budget (icmp_msgs_per_sec and icmp_msgs_burst; each
// error takes a random 0-2 credits since Linux 6.11, so the simulator leaves it out)
// refused the error. Each refusal counted excuses one such probe; the sender is the
// namespace holding the error's source address, the probing one first. Returns how many.
size_t excuse_icmp_budget(VerifyReport& report, const NetState& st,
                          const std::map<std::string, backend::IcmpCounters>& before,
                          const std::map<std::string, backend::IcmpCounters>& after,
                          std::map<std::string, uint64_t>& refused) {
    for (const auto& [name, b] : before)
        if (auto a = after.find(name); a != after.end() && a->second.out_rate_limit_global > b.out_rate_limit_global)
            refused[name] = a->second.out_rate_limit_global - b.out_rate_limit_global;
    std::map<std::string, uint64_t> left = refused;
    size_t excused = 0;
    for (auto& p : report.probes) {
        if (!p.predicted || p.measured.outcome != ProbeOutcome::silent || !is_error(p.predicted->outcome)) continue;
        const std::string& detail = p.predicted->detail;
        if (!detail.starts_with("from ")) continue;
        const auto src = Ipv4::parse(detail.substr(5));
        if (!src) continue;
        auto take = [&](const std::string& ns) {
            const Namespace* n = st.ns(ns);
            auto it = left.find(ns);
            if (!n || !n->has_local_address(*src) || it == left.end() || it->second == 0) return false;
            --it->second;
            return true;
        };
        bool sender = take(p.probe.ns);
        for (auto it = left.begin(); !sender && it != left.end(); ++it) sender = take(it->first);
        if (sender) p.icmp_budget = true, ++excused;
    }
    return excused;
}

// What is probed: the lab's namespaces (a netlink socket in each) and the probes;
// from the file (with the twin that predicts), or, without one, from the kernel.
struct Target {
    std::optional<Loaded> loaded;
    std::unique_ptr<sim::ScriptRunner> runner;
    std::vector<sim::Probe> probes;
    std::map<std::string, backend::NetnsQuery> spaces;
};

// 0 when ready, else the exit code.
int from_file(const VerifyOptions& o, Target& t) {
    t.loaded = load_or_report(o.file);
    if (!t.loaded) return 1;
    t.runner = replay(t.loaded->topology);
    const NetState& st = t.runner->state();
    for (const auto& ns : o.netns)
        if (!st.ns(ns) || ns.empty()) {
            std::cerr << fmt::format("vethlab verify: {} has no namespace '{}'\n", o.file, ns);
            return 2;
        }
    t.probes = select_probes(o, st);
    for (const auto& [name, ns] : st.namespaces()) {  // all must exist
        if (name.empty()) continue;
        auto q = backend::NetnsQuery::open(o.prefix + name);
        if (!q) {
            std::cerr << "vethlab verify: " << q.error() << " (is the lab up? `vethlab up " << o.file
                      << (o.prefix.empty() ? "" : " --prefix " + o.prefix) << "`)\n";
            return 1;
        }
        t.spaces.emplace(name, std::move(q).value());
    }
    return 0;
}

// A lab known only to the kernel (built by hand): every address of the given
// namespaces, as they are now, probed from each of them.
int from_kernel(const VerifyOptions& o, Target& t) {
    if (!o.no_predict || o.netns.empty() || o.peers) {
        std::cerr << "vethlab verify: without FILE, give --no-predict and the namespaces (--netns NS...); "
                     "--peers needs the file\n";
        return 2;
    }
    std::vector<sim::Probe> targets;
    for (const auto& name : o.netns) {
        auto q = backend::NetnsQuery::open(o.prefix + name);
        if (!q) {
            std::cerr << "vethlab verify: " << q.error() << "\n";
            return 1;
        }
        auto addrs = q.value().addresses();
        if (!addrs) {
            std::cerr << "vethlab verify: " << name << ": " << addrs.error() << "\n";
            return 1;
        }
        for (const auto& [dev, a] : addrs.value())
            if (!a.is_loopback()) targets.push_back({"", a, name + ":" + dev});
        t.spaces.emplace(name, std::move(q).value());
    }
    for (const auto& name : o.netns)
        for (const auto& target : targets) t.probes.push_back({name, target.dst, target.target});
    return 0;
}

// Linkwatch applies a new link's carrier up to a second late, and flushes the link's
// neighbours when it does -- silently dropping every probe still waiting for ARP, which
// no device flag announces beforehand. A lab `vethlab up` finished less than 1.2 s ago
// (its journal's last write) is given the rest of that time.
void wait_until_settled(const VerifyOptions& o) {
    if (o.file.empty() && o.name.empty()) return;
    const std::string lab = o.name.empty() ? std::filesystem::path(o.file).stem().string() : o.name;
    std::error_code ec;
    const auto journal = std::filesystem::path(backend::state_dir_from(o.state_dir)) / lab / "journal";
    const auto written = std::filesystem::last_write_time(journal, ec);
    if (ec) return;
    const auto age = std::filesystem::file_time_type::clock::now() - written;
    constexpr auto kSettle = std::chrono::milliseconds(1200);
    if (age >= std::chrono::nanoseconds(0) && age < kSettle) std::this_thread::sleep_for(kSettle - age);
}

int run_verify(const VerifyOptions& o) {
    if (auto missing = backend::missing_privileges()) {
        std::cerr << "vethlab verify: " << *missing << "\n";
        return 1;
    }
    Target t;
    if (int rc = o.file.empty() ? from_kernel(o, t) : from_file(o, t)) return rc;
    const auto& probes = t.probes;
    auto& spaces = t.spaces;
    const bool predict = !o.no_predict;
    wait_until_settled(o);
    VerifyReport report;
    report.predicted = predict;
    {
        std::vector<backend::NetnsQuery*> qs;
        std::vector<std::string> names;
        for (auto& [name, q] : spaces) qs.push_back(&q), names.push_back(name);
        const auto unsettled = backend::wait_for_linkwatch(qs, names, std::chrono::milliseconds(3000));
        if (!unsettled.empty())
            report.warnings.push_back(fmt::format("carrier not settled after 3 s on {} link(s), first {}",
                                                  unsettled.size(), unsettled.front()));
    }
    if (predict)
        for (auto& [name, q] : spaces) {
            auto diffs = compare_tables(q, t.runner->state(), name);
            report.table_diffs.insert(report.table_diffs.end(), diffs.begin(), diffs.end());
        }

    std::vector<sim::ProbeResult> predicted;
    if (predict) predicted = sim::run_probes(t.runner->kernel(), probes);
    const auto before = backend::arp_table_stats();
    const auto icmp_before = icmp_counters(o, spaces);
    size_t waves = 0;
    auto measured = probe_in_waves(o, probes, predicted, spaces, waves);
    if (!measured) {
        std::cerr << "vethlab verify: " << measured.error() << "\n";
        return 1;
    }
    const auto after = backend::arp_table_stats();
    const auto icmp_after = icmp_counters(o, spaces);
    if (before && after && after->table_fulls > before->table_fulls)
        report.warnings.push_back(fmt::format(
            "the host's neighbour table was full {} time(s) during the probes ({} entries, gc_thresh3 {}; shared by "
            "every namespace, settable only in the initial one): probes may have failed for that reason alone",
            after->table_fulls - before->table_fulls, after->entries, backend::arp_gc_thresh3().value_or(0)));
    report.probe_seconds = measured.value().seconds;
    // Neighbour caches: the twin runs the same probes (all at once) for as long as the
    // kernel took; comparable only when nothing was flushed between waves.
    if (predict && waves == 1) {
        auto twin = replay(t.loaded->topology);
        sim::run_probes(twin->kernel(), probes, sim::Time(report.probe_seconds * double(sim::kSecond)));
        for (auto& [name, q] : spaces) {
            auto diffs = compare_neighbours(q, twin->state(), twin->kernel().neighbours(name), name);
            report.neigh_diffs.insert(report.neigh_diffs.end(), diffs.begin(), diffs.end());
        }
    }

    // The twin's route lookups do not depend on what the probes left in its neighbour caches.
    for (size_t i = 0; i < probes.size(); ++i) {
        VerifyProbe vp{probes[i], std::nullopt, std::move(measured.value().answers[i]), std::nullopt, std::nullopt};
        if (predict) {
            vp.predicted = predicted[i];
            vp.sim_route = sim::route_get(t.runner->kernel(), t.runner->state(), probes[i].ns, probes[i].dst);
            vp.kernel_route = spaces.at(probes[i].ns).route_get(probes[i].dst);
        }
        report.probes.push_back(std::move(vp));
    }
    if (predict) {
        std::map<std::string, uint64_t> refused;
        if (const size_t excused = excuse_icmp_budget(report, t.runner->state(), icmp_before, icmp_after, refused)) {
            std::string where;
            for (const auto& [name, n] : refused) where += fmt::format("{}{} in {}", where.empty() ? "" : ", ", n, name);
            report.warnings.push_back(fmt::format(
                "{} predicted ICMP error(s) were not sent: the sender's ICMP budget (net.ipv4.icmp_msgs_per_sec, "
                "icmp_msgs_burst; not simulated) refused them (OutRateLimitGlobal: {}); those probes count as agreeing",
                excused, where));
        }
    }
    for (const auto& p : report.probes) {
        if (int(report.explanations.size()) >= o.explain) break;
        if (!p.agrees()) report.explanations.push_back(explain(t.loaded->topology, p));
    }

    if (o.json) {
        std::cout << verify_json(report).dump(2) << "\n";
    } else {
        if (!o.peers) std::cout << format_verify_matrix(report) << "\n";
        write_verify_lines(std::cout, report, o.peers);
        write_verify_tail(std::cout, report);
    }
    if (!report.ok()) return 1;
    return o.strict && !(report.warnings.empty() && report.neigh_diffs.empty()) ? 1 : 0;
}

}  // namespace

void add_verify(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand("verify", "Probe a deployed lab with real ICMP echoes and compare with the "
                                             "simulator's prediction (needs root)");
    cmd->add_option("file", o->file, "the topology the lab was built from (without it: --no-predict --netns NS...)");
    cmd->add_option("--prefix", o->prefix, "the prefix the lab was built with (vethlab up --prefix)");
    cmd->add_option("--name", o->name, "the lab's name (default: the file's stem), to wait for a lab just built");
    cmd->add_option("--state-dir", o->state_dir, "where up keeps journals (default $VETHLAB_STATE_DIR or /run/vethlab)");
    cmd->add_flag("--peers", o->peers, "only the far end of each veth (one probe per veth end)");
    cmd->add_flag("--json", o->json, "one object per probe, and the differences");
    cmd->add_option("--timeout", o->timeout, "seconds to wait for each answer")->capture_default_str();
    cmd->add_flag("--strict", o->strict,
                  "also fail on neighbour states that differ after the probes, and on warnings (unsettled carrier, a "
                  "full neighbour table)");
    cmd->add_flag("--no-predict", o->no_predict, "only measure: no simulator, no comparison");
    cmd->add_option("--netns", o->netns, "probe only from these namespaces (names as in the file; without a file, the "
                                         "namespaces to probe among)");
    cmd->add_option("--explain", o->explain, "explain this many disagreements")->capture_default_str();
    cmd->callback([o, &ctx] { ctx.exit_code = run_verify(*o); });
}

}  // namespace vethlab::cli
