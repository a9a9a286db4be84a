// vethlab up / down / plan: build a topology on the running kernel, remove it, or
// print what up would do.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backend/drift.hpp"
#include "backend/journal.hpp"
#include "backend/lab.hpp"
#include "backend/meminfo.hpp"
#include "backend/netlink_hooks.hpp"
#include "backend/netlink_libnl.hpp"
#include "backend/plan.hpp"
#include "backend/privileges.hpp"
#include "cli/commands.hpp"
#include "cli/json_state.hpp"
#include "cli/load.hpp"
#include "cli/memory_fit.hpp"
#include "model/names.hpp"

namespace vethlab::cli {
namespace {

struct LabCliOptions {
    std::string file;
    std::string name;
    std::string prefix;
    std::string state_dir;
    bool quiet = false;
    bool json = false;
    bool progress = false;
    bool force = false;
};

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop.store(true); }

// While alive, SIGINT, SIGTERM and SIGHUP ask `up` to stop and roll back.
class StopOnSignals {
public:
    StopOnSignals() {
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &old_[i]);
    }
    ~StopOnSignals() {
        for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
    }

private:
    static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction old_[3] {};
};

std::optional<std::string> check_prefix(const std::string& prefix) {
    for (char c : prefix)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
            return fmt::format("prefix '{}' may hold only letters, digits, '.', '_' and '-'", prefix);
    return std::nullopt;
}

std::string lab_name(const LabCliOptions& o) {
    return o.name.empty() ? std::filesystem::path(o.file).stem().string() : o.name;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Objects done / total, rate and time left, on one rewritten terminal line.
class ProgressLine {
public:
    explicit ProgressLine(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
    ~ProgressLine() {
        if (shown_) std::cerr << "\r\033[K" << std::flush;
    }
    void operator()(size_t done, size_t total) {
        if (!enabled_) return;
        const auto now = std::chrono::steady_clock::now();
        if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
        last_ = now;
        const double s = std::chrono::duration<double>(now - start_).count();
        const double rate = s > 0 ? double(done) / s : 0;
        const double eta = rate > 0 ? double(total - done) / rate : 0;
        std::cerr << fmt::format("\r\033[K{}/{} operations, {:.0f}/s, {:.1f} s left", done, total, rate, eta)
                  << std::flush;
        shown_ = true;
    }

private:
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_, last_{};
};

std::string_view result_word(backend::UpResult r) {
    switch (r) {
        case backend::UpResult::built: return "built";
        case backend::UpResult::unchanged: return "unchanged";
        case backend::UpResult::changed: return "changed";
        case backend::UpResult::refused: return "refused";
        case backend::UpResult::failed: return "failed";
        case backend::UpResult::interrupted: return "interrupted";
    }
    return "failed";
}

void print_up_json(const LabCliOptions& o, const std::string& lab, const Topology* topo, const backend::Plan* plan,
                   const backend::UpOutcome& up) {
    nlohmann::json j{{"lab", lab}, {"file", o.file}, {"prefix", o.prefix}, {"result", result_word(up.result)},
                     {"ok", up.ok()}, {"seconds", up.seconds}, {"errors", up.errors}, {"rolled_back", up.rolled_back},
                     {"differences", up.differences}};
    if (plan && topo) {
        const auto c = backend::count_plan(*plan);
        const bool built = up.result == backend::UpResult::built;
        j["operations"] = built ? plan->steps.size() : up.steps_done;
        // Counts of a first build; a lab that was up lists its differences instead.
        j["created"] = {{"namespaces", built ? c.namespaces : 0}, {"veth_pairs", built ? c.veth_pairs : 0},
                        {"other_links", built ? c.other_links : 0}, {"addresses", built ? c.addresses : 0},
                        {"routes", built ? c.routes : 0},           {"sysctls", built ? c.sysctls : 0}};
        nlohmann::json skipped = nlohmann::json::array();
        for (size_t i : plan->observations) skipped.push_back(topo->edits[i].loc.line);
        j["skipped_observation_lines"] = skipped;
    }
    std::cout << j.dump(2) << "\n";
}

void run_up(const LabCliOptions& o, Context& ctx) {
    ctx.exit_code = 1;
    const std::string lab = lab_name(o);
    auto fail = [&](const std::string& message) {
        if (o.json) {
            backend::UpOutcome up;
            up.errors.push_back(message);
            print_up_json(o, lab, nullptr, nullptr, up);
        } else {
            std::cerr << "vethlab up: " << message << "\n";
        }
    };
    if (auto missing = backend::missing_privileges()) return fail(*missing);
    if (auto bad = backend::check_lab_name(lab)) return fail(*bad);
    if (auto bad = check_prefix(o.prefix)) return fail(*bad);
    Diagnostics errors;
    auto loaded = load_or_report(o.file, o.json ? &errors : nullptr);
    if (!loaded) {
        if (o.json) {
            backend::UpOutcome up;
            for (const auto& d : errors) up.errors.push_back(d.str());
            print_up_json(o, lab, nullptr, nullptr, up);
        }
        return;
    }
    const Topology& topo = loaded->topology;
    const backend::Plan plan = backend::make_plan(topo, o.prefix);
    for (const auto& ns : plan.namespaces)
        if (auto bad = check_netns_name(ns)) return fail(*bad);

    const std::string state_dir = backend::state_dir_from(o.state_dir);
    if (!o.force)
        if (const auto mem = backend::read_meminfo())
            if (auto why = memory_refusal(backend::count_plan(plan), load_cost_model(state_dir), *mem))
                return fail(*why);
    backend::LibnlNetlink real;
    backend::HookedNetlink nl(real, backend::test_hooks_from_env());
    backend::UpOutcome up;
    {
        StopOnSignals signals;
        ProgressLine progress(!o.quiet && !o.json &&
                              (o.progress || (isatty(STDERR_FILENO) && plan.steps.size() >= 200)));
        backend::LabOptions lab_opts{lab, o.prefix, state_dir, {}};
        lab_opts.drift = [&](const std::vector<std::string>& live) { return backend::lab_drift(topo, plan, live); };
        up = backend::lab_up(nl, topo, read_file(o.file), plan, lab_opts, g_stop, std::ref(progress));
    }
    real.close_all();
    ctx.exit_code = up.ok() ? 0 : 1;
    if (o.json) return print_up_json(o, lab, &topo, &plan, up);
    for (const auto& e : up.errors) std::cerr << e << "\n";
    if (up.result == backend::UpResult::interrupted) std::cerr << "vethlab up: interrupted\n";
    if (!up.rolled_back.empty())
        std::cerr << fmt::format("vethlab up: rolled back: removed namespace{} {}\n",
                                 up.rolled_back.size() == 1 ? "" : "s", fmt::join(up.rolled_back, ", "));
    if (o.quiet || !up.ok()) return;
    if (up.result == backend::UpResult::unchanged) {
        std::cout << fmt::format("lab '{}' is already up as the file says: nothing changed\n", lab);
        return;
    }
    if (up.result == backend::UpResult::changed) {
        std::cout << fmt::format("lab '{}' was up: {} difference{} applied ({} operation{} in {:.3f} s)\n", lab,
                                 up.differences.size(), up.differences.size() == 1 ? "" : "s", up.steps_done,
                                 up.steps_done == 1 ? "" : "s", up.seconds);
        for (const auto& d : up.differences) std::cout << "  " << d << "\n";
        return;
    }
    const auto c = backend::count_plan(plan);
    std::cout << fmt::format("lab '{}' is up: {} namespace{}, {} veth pair{}, {} other link{}, {} address{}, {} "
                             "route{}, {} sysctl{} ({} operations in {:.3f} s)\n",
                             lab, c.namespaces, c.namespaces == 1 ? "" : "s", c.veth_pairs,
                             c.veth_pairs == 1 ? "" : "s", c.other_links, c.other_links == 1 ? "" : "s", c.addresses,
                             c.addresses == 1 ? "" : "es", c.routes, c.routes == 1 ? "" : "s", c.sysctls,
                             c.sysctls == 1 ? "" : "s", plan.steps.size(), up.seconds);
    if (!plan.observations.empty())
        std::cout << fmt::format("not run: {} observation{} (ping, route -n, ip ... show) on lines {}\n",
                                 plan.observations.size(), plan.observations.size() == 1 ? "" : "s",
                                 backend::edit_lines(topo, plan.observations));
}

void run_down(const LabCliOptions& o, Context& ctx) {
    ctx.exit_code = 1;
    if (o.file.empty() && o.name.empty()) {
        std::cerr << "vethlab down: name the lab: FILE or --name LAB\n";
        ctx.exit_code = 2;
        return;
    }
    const std::string lab = lab_name(o);
    if (auto missing = backend::missing_privileges()) {
        std::cerr << "vethlab down: " << *missing << "\n";
        return;
    }
    backend::LibnlNetlink real;
    backend::HookedNetlink nl(real, backend::test_hooks_from_env());
    const auto down = backend::lab_down(nl, backend::state_dir_from(o.state_dir), lab);
    ctx.exit_code = down.ok ? 0 : 1;
    if (o.json) {
        nlohmann::json j{{"lab", lab},           {"ok", down.ok},           {"error", down.error},
                         {"removed", down.removed}, {"missing", down.missing}, {"replaced", down.replaced}};
        std::cout << j.dump(2) << "\n";
        return;
    }
    if (!down.error.empty()) std::cerr << "vethlab down: " << down.error << "\n";
    for (const auto& ns : down.replaced)
        std::cerr << fmt::format("vethlab down: namespace '{}' is not the one lab '{}' made; left alone\n", ns, lab);
    if (o.quiet || !down.ok) return;
    std::cout << fmt::format("lab '{}' is down: removed {} namespace{}", lab, down.removed.size(),
                             down.removed.size() == 1 ? "" : "s");
    if (!down.missing.empty()) std::cout << fmt::format(" ({} already gone)", down.missing.size());
    std::cout << "\n";
}

void run_plan(const LabCliOptions& o, Context& ctx) {
    ctx.exit_code = 1;
    if (auto bad = check_prefix(o.prefix)) {
        std::cerr << "vethlab plan: " << *bad << "\n";
        return;
    }
    auto loaded = load_or_report(o.file);
    if (!loaded) return;
    const std::string lab = lab_name(o);
    const auto record = backend::read_lab(backend::state_dir_from(o.state_dir), lab);
    const bool lab_up = record && record->complete;
    const backend::Plan plan =
        backend::make_plan(loaded->topology, lab_up && o.prefix.empty() ? record->prefix : o.prefix);
    if (!plan.refusals.empty()) return print_diagnostics(plan.refusals);
    ctx.exit_code = 0;
    if (!lab_up) {
        std::cout << backend::format_plan(loaded->topology, plan);
        return;
    }
    // The lab is up: what up would change.
    if (auto missing = backend::missing_privileges()) {
        std::cerr << fmt::format("vethlab plan: lab '{}' is up, but its kernel state cannot be read ({}); the plan "
                                 "of a first up follows\n",
                                 lab, *missing);
        std::cout << backend::format_plan(loaded->topology, plan);
        return;
    }
    std::vector<std::string> live;
    for (const auto* ns : record->live()) live.push_back(ns->name);
    auto drift = backend::lab_drift(loaded->topology, plan, live);
    if (!drift) {
        std::cerr << "vethlab plan: " << drift.error() << "\n";
        ctx.exit_code = 1;
        return;
    }
    std::cout << fmt::format("# lab '{}' is up; {} difference{} with {}\n", lab, drift->differences.size(),
                             drift->differences.size() == 1 ? "" : "s", o.file);
    for (const auto& d : drift->differences) std::cout << "#   " << d << "\n";
    for (const auto& op : drift->ops)
        for (const auto& line : backend::ip_commands(op)) std::cout << line << "\n";
}

void add_common(CLI::App* cmd, LabCliOptions& o) {
    cmd->add_option("--state-dir", o.state_dir,
                    "where labs are journalled (default: $VETHLAB_STATE_DIR, else /run/vethlab)");
    cmd->add_flag("--quiet,-q", o.quiet, "print errors only");
    cmd->add_flag("--json", o.json, "print a JSON summary on stdout");
    cmd->add_flag("--progress", o.progress, "show progress on stderr even when it is not a terminal");
}

}  // namespace

void add_lab(CLI::App& app, Context& ctx) {
    auto up = std::make_shared<LabCliOptions>();
    auto* cmd = app.add_subcommand("up", "Build a topology on the running kernel (needs root); a refused step "
                                         "rolls back everything");
    cmd->add_option("file", up->file, "topology file (.yaml) or ip-command script (.sh)")->required();
    cmd->add_option("--name", up->name, "lab name (default: the file's name without extension)");
    cmd->add_option("--prefix", up->prefix, "put this in front of every namespace name");
    cmd->add_flag("--force", up->force, "build even when the topology would not fit in 80% of the available memory");
    add_common(cmd, *up);
    cmd->callback([up, &ctx] { run_up(*up, ctx); });

    auto down = std::make_shared<LabCliOptions>();
    cmd = app.add_subcommand("down", "Remove exactly what `vethlab up` built for a lab (needs root)");
    cmd->add_option("file", down->file, "the topology file the lab was built from");
    cmd->add_option("--name", down->name, "lab name (default: the file's name without extension)");
    add_common(cmd, *down);
    cmd->callback([down, &ctx] { run_down(*down, ctx); });

    auto plan = std::make_shared<LabCliOptions>();
    cmd = app.add_subcommand("plan", "Print the operations `vethlab up` would run, as ip commands (no root needed)");
    cmd->add_option("file", plan->file, "topology file (.yaml) or ip-command script (.sh)")->required();
    cmd->add_option("--prefix", plan->prefix, "put this in front of every namespace name");
    cmd->add_option("--name", plan->name, "lab name (default: the file's name without extension); when that lab "
                                          "is up, the plan is what up would change");
    cmd->add_option("--state-dir", plan->state_dir,
                    "where labs are journalled (default: $VETHLAB_STATE_DIR, else /run/vethlab)");
    cmd->callback([plan, &ctx] { run_plan(*plan, ctx); });
}

}  // namespace vethlab::cli
