// The simulator from the command line: vethlab sim | ping | routes | reach.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <iostream>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/heap_tuning.hpp"
#include "cli/load.hpp"
#include "model/ip_writer.hpp"
#include "sim/ping_app.hpp"
#include "sim/reach.hpp"
#include "sim/route_printer.hpp"
#include "sim/script_runner.hpp"

namespace vethlab::cli {
namespace {

// Reads FILE on a second thread while this one applies its edits: reading a big file
// and building its state take about as long as each other. Edits cross in batches,
// at most a few batches ahead, in file order; the reader's errors come back at the end.
// Applied batches go back to the reader, which writes the next edits over the old ones:
// their strings are freed by the thread that made them (a free into the other thread's
// malloc arena takes its lock, and that contention made reading 2M lines take twice as
// long as the reader alone), and no batch is a fresh mapping for the kernel to zero.
Diagnostics read_alongside(const std::string& path, const std::function<void(Edit&)>& apply) {
    constexpr size_t kBatch = 4096, kAhead = 8;
    struct Batch {
        std::vector<Edit> edits;  // the first `used` are this batch's; the rest are old ones
        size_t used = 0;
    };
    std::mutex m;
    std::condition_variable cv;
    std::deque<Batch> ready;
    std::vector<Batch> spare;
    bool done = false;
    Diagnostics errors;
    std::exception_ptr failure;
    std::thread reader([&] {
        auto hand_over = [&](Batch&& batch) {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return ready.size() < kAhead; });
            ready.push_back(std::move(batch));
            cv.notify_all();
        };
        auto fresh = [&] {
            Batch b;
            std::lock_guard lock(m);
            if (!spare.empty()) {
                b = std::move(spare.back());
                spare.pop_back();
            }
            b.used = 0;
            return b;
        };
        try {
            Batch batch = fresh();
            errors = stream_topology(path, [&](Edit&& e) {
                if (batch.used < batch.edits.size()) batch.edits[batch.used] = std::move(e);
                else batch.edits.push_back(std::move(e));
                if (++batch.used == kBatch) {
                    hand_over(std::move(batch));
                    batch = fresh();
                }
            });
            if (batch.used) hand_over(std::move(batch));
        } catch (...) {
            failure = std::current_exception();
        }
        std::lock_guard lock(m);
        done = true;
        cv.notify_all();
    });
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return !ready.empty() || done; });
            if (ready.empty()) break;
            batch = std::move(ready.front());
            ready.pop_front();
            cv.notify_all();
        }
        for (size_t i = 0; i < batch.used; ++i) apply(batch.edits[i]);
        std::lock_guard lock(m);
        if (spare.size() < kAhead) spare.push_back(std::move(batch));
    }
    reader.join();
    if (failure) std::rethrow_exception(failure);
    return errors;
}

// Reads FILE and runs its configuration edits (not its observations) on the twin as
// they are read: a huge file's edits are never all held. Refused edits are reported on
// stderr and skipped, as a shell script would go on -- once the whole file is known to
// be well formed; a file with syntax errors runs nothing.
std::unique_ptr<sim::ScriptRunner> build(const std::string& path) {
    auto runner = std::make_unique<sim::ScriptRunner>();
    std::string warnings;
    const Diagnostics errors = read_alongside(path, [&](Edit& e) {
        if (e.is_observation()) return;
        auto r = runner->run(e);
        if (r.refused) warnings += fmt::format("{}: warning: '{}': {}", e.loc.str(), e.text, r.output);
    });
    if (!errors.empty()) {
        print_diagnostics(errors);
        return nullptr;
    }
    std::cerr << warnings;
    return runner;
}

struct SimOptions {
    std::string file;
    bool all = false;
    bool json = false;
};

void run_sim(const SimOptions& o, Context& ctx) {
    Parsed parsed = load_topology(o.file);
    if (!parsed.ok()) {
        print_diagnostics(parsed.errors);
        ctx.exit_code = 1;
        return;
    }
    if (!o.json) {
        std::cout << sim::replay(parsed.topology, o.all);
        return;
    }
    sim::ScriptRunner runner;
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& e : parsed.topology.edits) {
        auto r = runner.run(e);
        steps.push_back({{"line", e.loc.line}, {"command", e.text.empty() ? format_command(e.op) : e.text},
                         {"output", r.output}, {"exit", r.exit_code}, {"refused", r.refused}});
    }
    std::cout << nlohmann::json{{"file", o.file}, {"steps", steps}}.dump(2) << "\n";
}

// The first line of --explain: the route connect() gets, and the source it picks.
std::string explain_route(sim::ScriptRunner& runner, const Ping& p) {
    const Namespace& ns = *runner.state().ns(p.ns);
    auto route = runner.kernel().route_output(p.ns, p.dst);
    if (!route) return fmt::format("{}: no route to {}: connect() fails with '{}'", p.ns, p.dst.str(), route.error());
    if (!route->route) return fmt::format("{}: no route to {}", p.ns, p.dst.str());
    return fmt::format("{}: route to {}: {} (the longest matching prefix, /{}, lowest metric); source {}", p.ns,
                       p.dst.str(), sim::format_route(runner.state(), ns, *route->route), route->route->dst.len(),
                       route->src.str());
}

struct PingOptions {
    std::string file, ns, dst, iface;
    int count = 3;
    double interval = 1, timeout = 0;
    int ttl = 0;
    bool explain = false;
};

void run_ping_cmd(const PingOptions& o, Context& ctx) {
    auto runner = build(o.file);
    auto dst = Ipv4::parse(o.dst);
    if (!runner || !dst) {
        if (runner) std::cerr << "vethlab: " << dst.error() << "\n";
        ctx.exit_code = runner ? 2 : 1;
        return;
    }
    if (!runner->state().ns(o.ns)) {
        std::cerr << fmt::format("Cannot open network namespace \"{}\": No such file or directory\n", o.ns);
        ctx.exit_code = 1;
        return;
    }
    Ping p{.ns = o.ns, .dst = *dst, .count = o.count, .interval = o.interval};
    if (o.timeout > 0) p.timeout = o.timeout;
    if (o.ttl > 0) p.ttl = o.ttl;
    if (!o.iface.empty()) p.iface = o.iface;
    std::vector<std::string> why;
    if (o.explain) {
        why.push_back(explain_route(*runner, p));
        runner->kernel().set_trace([&why](const std::string& line) { why.push_back(line); });
    }
    const sim::PingRun run = sim::run_ping(runner->kernel(), p, runner->state());
    std::cout << sim::format_ping(run);
    if (o.explain) {
        std::cout << "\nWhy (simulated kernel, first events first):\n";
        for (const auto& line : why) std::cout << "  " << line << "\n";
    }
    ctx.exit_code = sim::ping_exit_code(run);
}

struct RoutesOptions {
    std::string file, ns;
    bool ip = false;
};

void run_routes(const RoutesOptions& o, Context& ctx) {
    auto runner = build(o.file);
    const Namespace* ns = runner ? runner->state().ns(o.ns) : nullptr;
    if (!ns) {
        if (runner) std::cerr << fmt::format("Cannot open network namespace \"{}\": No such file or directory\n", o.ns);
        ctx.exit_code = 1;
        return;
    }
    std::cout << (o.ip ? sim::format_ip_route(runner->state(), *ns) : sim::format_route_n(*ns));
}

struct ReachOptions {
    std::string file;
    bool peers = false;
    bool json = false;
};

// A string as nlohmann::json::dump writes it: plain ASCII as is, anything else through it.
void write_json_string(std::ostream& out, std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
    });
    if (plain) out << '"' << s << '"';
    else out << nlohmann::json(std::string(s)).dump();
}

// What nlohmann::json's dump(2) prints for the array of probe objects (keys in its
// order), written probe by probe instead of building a million-object document.
void write_reach_json(std::ostream& out, const std::vector<sim::ProbeResult>& results) {
    if (results.empty()) {
        out << "[]\n";
        return;
    }
    out << "[\n";
    bool first = true;
    for (const auto& r : results) {
        out << (first ? "" : ",\n") << "  {\n    \"detail\": ";
        first = false;
        write_json_string(out, r.detail);
        out << ",\n    \"from\": ";
        write_json_string(out, r.probe.ns);
        out << ",\n    \"outcome\": \"" << sim::to_string(r.outcome) << "\",\n    \"target\": ";
        write_json_string(out, r.probe.target);
        out << ",\n    \"to\": \"" << r.probe.dst.str() << "\"\n  }";
    }
    out << "\n]\n";
}

// VETHLAB_TIMING=1: how long each phase of a command took, on stderr (for performance
// reports; the simulator itself never reads a clock).
class PhaseTimer {
public:
    PhaseTimer() : on_(std::getenv("VETHLAB_TIMING") != nullptr) {}
    void done(const std::string& phase) {
        if (!on_) return;
        const auto now = std::chrono::steady_clock::now();
        std::cerr << fmt::format("timing: {:<8} {:8.3f} s\n", phase, std::chrono::duration<double>(now - last_).count());
        last_ = now;
    }

private:
    bool on_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

void run_reach(const ReachOptions& o, Context& ctx) {
    use_huge_page_heap();  // before anything is read: restarts the process once
    PhaseTimer timer;
    auto runner = build(o.file);
    if (!runner) {
        ctx.exit_code = 1;
        return;
    }
    timer.done("read");
    auto probes = o.peers ? sim::peer_probes(runner->state()) : sim::all_pairs(runner->state());
    timer.done("plan");
    const auto results = sim::run_probes(runner->kernel(), std::move(probes), 4 * sim::kSecond, sim::Wait::answers,
                                         sim::kReachWave);
    timer.done(fmt::format("probe ({} events left)", runner->kernel().queue().size()));
    if (o.json) write_reach_json(std::cout, results);
    else if (o.peers) sim::write_peer_report(std::cout, results);
    else std::cout << sim::format_matrix(results);
    std::cout.flush();
    timer.done("print");
    runner.reset();
    timer.done("free");
}

}  // namespace

void add_sim(CLI::App& app, Context& ctx) {
    auto so = std::make_shared<SimOptions>();
    auto* sim = app.add_subcommand("sim", "Replay a script in the simulator: what each observation (ping, route -n, "
                                          "ip route/addr/link/neigh) prints on Linux, and the kernel's error for "
                                          "each refused edit");
    sim->add_option("file", so->file, "ip-command script or YAML topology")->required();
    sim->add_flag("--all", so->all, "show every command, not only those that print something");
    sim->add_flag("--json", so->json, "every step as JSON");
    sim->callback([so, &ctx] { run_sim(*so, ctx); });

    auto po = std::make_shared<PingOptions>();
    auto* ping = app.add_subcommand("ping", "Predict `ip netns exec NS ping DST` after the file's edits");
    ping->add_option("file", po->file, "topology")->required();
    ping->add_option("ns", po->ns, "namespace to ping from")->required();
    ping->add_option("dst", po->dst, "IPv4 address")->required();
    ping->add_option("-c", po->count, "probes")->capture_default_str();
    ping->add_option("-i", po->interval, "seconds between probes")->capture_default_str();
    ping->add_option("-W", po->timeout, "seconds to wait for the last answer (default 10)");
    ping->add_option("-t", po->ttl, "TTL of the probes (default 64)");
    ping->add_option("-I", po->iface, "send through this interface");
    ping->add_flag("--explain", po->explain, "print each decision the kernel takes along the way");
    ping->callback([po, &ctx] { run_ping_cmd(*po, ctx); });

    auto ro = std::make_shared<RoutesOptions>();
    auto* routes = app.add_subcommand("routes", "The routing table of a namespace after the file's edits (route -n)");
    routes->add_option("file", ro->file, "topology")->required();
    routes->add_option("ns", ro->ns, "namespace")->required();
    routes->add_flag("--ip", ro->ip, "as `ip route` prints it");
    routes->callback([ro, &ctx] { run_routes(*ro, ctx); });

    auto rc = std::make_shared<ReachOptions>();
    auto* reach = app.add_subcommand("reach", "The predicted reachability matrix: every namespace to every address");
    reach->add_option("file", rc->file, "topology")->required();
    reach->add_flag("--peers", rc->peers, "only the far end of each veth (one probe per veth end)");
    reach->add_flag("--json", rc->json, "one object per probe");
    reach->callback([rc, &ctx] { run_reach(*rc, ctx); });
}

}  // namespace vethlab::cli
