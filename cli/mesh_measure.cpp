#include "cli/mesh_measure.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <ostream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/generators.hpp"
#include "backend/lab.hpp"
#include "backend/meminfo.hpp"
#include "backend/netlink_libnl.hpp"
#include "model/ip_script.hpp"
#include "model/yaml_reader.hpp"

namespace vethlab::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_measure_stop{false};
extern "C" void on_measure_signal(int) { g_measure_stop.store(true); }

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double kernel_kib() {
    const auto m = backend::read_meminfo();
    return m ? double(m->kernel_kib()) : 0;
}

// Namespace teardown finishes in the kernel's cleanup_net work after the last reference
// goes: wait until the kernel's memory stops moving (three reads 50 ms apart within
// 64 KiB of each other), at most `limit`.
void settle(std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    std::vector<double> last;
    while (Clock::now() - start < limit) {
        last.push_back(kernel_kib());
        if (last.size() >= 3) {
            const auto [lo, hi] = std::minmax_element(last.end() - 3, last.end());
            if (*hi - *lo <= 64) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t k = v.size();
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

struct Run {
    double build_s, teardown_s, kernel_kib, available_kib;
};

// n namespaces, nothing in them.
Topology namespaces_topology(uint64_t n) {
    std::string script;
    for (uint64_t i = 0; i < n; ++i) script += fmt::format("ip netns add ns{}\n", i);
    return parse_ip_script(script, fmt::format("namespaces-{}.sh", n)).topology;
}

std::optional<Topology> generated_topology(analysis::Shape shape, uint64_t n, std::string& error) {
    auto plan = analysis::generate(shape, n, analysis::GenOptions{.routes = false});
    if (!plan) {
        error = plan.error();
        return std::nullopt;
    }
    const std::string file = fmt::format("{}-{}.yaml", shape == analysis::Shape::bridge ? "bridge" : "mesh", n);
    Parsed parsed = parse_yaml_topology(analysis::plan_yaml(*plan), file);
    if (!parsed.ok()) {
        error = "internal error: " + parsed.errors.front().str();
        return std::nullopt;
    }
    return std::move(parsed.topology);
}

// One build and teardown of the mesh; nullopt (error set) if up or down failed.
std::optional<Run> run_once(const Topology& topo, const backend::LabOptions& lab, std::string& error) {
    const backend::Plan plan = backend::make_plan(topo, lab.prefix);
    backend::LibnlNetlink nl;
    settle(std::chrono::milliseconds(3000));
    const auto before = backend::read_meminfo();
    auto t = Clock::now();
    const auto up = backend::lab_up(nl, topo, topo.file, plan, lab, g_measure_stop);
    const double build_s = seconds_since(t);
    nl.close_all();
    if (!up.ok()) {
        error = up.errors.empty() ? "interrupted" : up.errors.front();
        return std::nullopt;
    }
    settle(std::chrono::milliseconds(2000));
    const auto after = backend::read_meminfo();
    t = Clock::now();
    const auto down = backend::lab_down(nl, lab.state_dir, lab.lab);
    nl.close_all();
    if (!down.ok) {
        error = down.error;
        return std::nullopt;
    }
    // Teardown counts until the kernel's cleanup_net has given back 80% of the memory
    // the mesh took (other processes move the rest), at most 5 s.
    const double took = before && after ? double(after->kernel_kib()) - double(before->kernel_kib()) : 0;
    while (before && seconds_since(t) < 5 && kernel_kib() > double(before->kernel_kib()) + std::max(256.0, took * 0.2))
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double teardown_s = seconds_since(t);
    if (!before || !after) {
        error = "cannot read /proc/meminfo";
        return std::nullopt;
    }
    return Run{build_s, teardown_s, double(after->kernel_kib()) - double(before->kernel_kib()),
               double(before->available_kib) - double(after->available_kib)};
}

// Times scatter on a shared machine: a free fit over small n can give a negative cost
// per namespace or per pair. Then the namespaces' share is left out (pairs dominate).
std::optional<analysis::MeshCostModel> time_model(const std::vector<double>& n, const std::vector<double>& t) {
    auto fit = analysis::fit_mesh_cost(n, t);
    if (fit && fit->per_namespace >= 0 && fit->per_pair >= 0) return fit;
    return analysis::fit_mesh_cost(n, t, 0.0);
}

// `repeat` builds and teardowns of one topology of n namespaces; nullopt (error set,
// naming n) when one failed or the run was interrupted.
std::optional<MeasuredRow> measure_shape(analysis::Shape shape, uint64_t n, const MeasureOptions& o,
                                         const std::string& prefix, std::ostream& log, std::string& error) {
    const bool bridge = shape == analysis::Shape::bridge;
    const std::string what = fmt::format("{} n = {}", bridge ? "bridge" : "mesh", n);
    auto topo = generated_topology(shape, n, error);
    if (!topo) return std::nullopt;
    std::vector<Run> runs;
    for (int r = 0; r < o.repeat; ++r) {
        if (g_measure_stop.load()) {
            error = "interrupted";
            return std::nullopt;
        }
        const backend::LabOptions lab{fmt::format("measure-{}n{}", bridge ? "bridge-" : "", n), prefix, o.state_dir};
        auto run = run_once(*topo, lab, error);
        if (!run) {
            error = fmt::format("{}: {}", what, error);
            return std::nullopt;
        }
        log << fmt::format("{}: built in {:.3f} s, torn down in {:.3f} s, kernel memory +{:.0f} KiB\n", what,
                           run->build_s, run->teardown_s, run->kernel_kib)
            << std::flush;
        runs.push_back(*run);
    }
    if (runs.empty()) {
        error = what + ": no run";
        return std::nullopt;
    }
    auto med = [&](double Run::*f) {
        std::vector<double> v;
        for (const auto& r : runs) v.push_back(r.*f);
        return median(v);
    };
    auto fastest = [&](double Run::*f) {
        double best = runs.front().*f;
        for (const auto& r : runs) best = std::min(best, r.*f);
        return best;
    };
    return MeasuredRow{n, bridge ? n : analysis::mesh_pairs(n), fastest(&Run::build_s), fastest(&Run::teardown_s),
                       med(&Run::kernel_kib), med(&Run::available_kib)};
}

}  // namespace

Measurement measure_meshes(const MeasureOptions& o, std::ostream& log) {
    Measurement m;
    struct sigaction sa {}, old_int {}, old_term {};
    sa.sa_handler = on_measure_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    const std::string prefix = fmt::format("vlm{}-", getpid());
    {
        const Topology alone = namespaces_topology(o.max);
        std::vector<double> per_ns;
        // A few MiB against the noise of everything else on the machine: at least 5 runs.
        for (int r = 0; r < std::max(o.repeat, 5) && m.error.empty() && !g_measure_stop.load(); ++r) {
            const backend::LabOptions lab{"measure-namespaces", prefix, o.state_dir};
            auto run = run_once(alone, lab, m.error);
            if (!run) break;
            log << fmt::format("{} namespaces alone: kernel memory +{:.0f} KiB\n", o.max, run->kernel_kib) << std::flush;
            per_ns.push_back(run->kernel_kib / double(o.max));
        }
        if (!m.error.empty()) m.error = "namespaces alone: " + m.error;
        else if (!per_ns.empty()) m.namespace_kib = median(per_ns);
    }
    // The mesh and the bridge of each n one after the other: a change of load on the
    // machine weighs on both alike.
    for (uint64_t n = o.min; n <= o.max && m.error.empty(); n += o.step) {
        auto row = measure_shape(analysis::Shape::mesh, n, o, prefix, log, m.error);
        if (!row) break;
        m.rows.push_back(*row);
        row = measure_shape(analysis::Shape::bridge, n, o, prefix, log, m.error);
        if (!row) break;
        m.bridge_rows.push_back(*row);
        if (o.step == 0) break;
    }
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    std::vector<double> n, mem, build, teardown;
    for (const auto& r : m.rows) {
        n.push_back(double(r.n));
        mem.push_back(r.kernel_kib);
        build.push_back(r.build_s);
        teardown.push_back(r.teardown_s);
    }
    m.memory = m.namespace_kib > 0 ? analysis::fit_mesh_cost(n, mem, m.namespace_kib) : analysis::fit_mesh_cost(n, mem);
    m.build = time_model(n, build);
    m.teardown = time_model(n, teardown);
    std::vector<double> bn, bmem, bbuild, bteardown;
    for (const auto& r : m.bridge_rows) {
        bn.push_back(double(r.n));
        bmem.push_back(r.kernel_kib);
        bbuild.push_back(r.build_s);
        bteardown.push_back(r.teardown_s);
    }
    m.bridge_memory = analysis::fit_bridge_cost(bn, bmem);
    m.bridge_build = analysis::fit_bridge_time(bn, bbuild);
    m.bridge_teardown = analysis::fit_bridge_time(bn, bteardown);
    return m;
}

std::string cost_model_path(const std::string& state_dir) { return state_dir + "/cost-model.json"; }

std::string save_cost_model(const std::string& state_dir, const Measurement& m, bool& kept) {
    kept = false;
    if (!m.memory || m.rows.empty() || m.rows.back().n < kMinKeptMeshN)
        return fmt::format("measure up to n >= {} to keep it", kMinKeptMeshN);
    if (m.memory->per_pair <= 0 || m.memory->per_namespace < 0) return "its costs are not all positive";
    const nlohmann::json j{{"per_namespace_kib", m.memory->per_namespace},
                           {"per_pair_kib", m.memory->per_pair},
                           {"fixed_kib", m.memory->fixed},
                           {"r2", m.memory->r2},
                           {"n_min", m.rows.front().n},
                           {"n_max", m.rows.back().n}};
    const std::string path = cost_model_path(state_dir), tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out << j.dump(2) << "\n";
        if (!out) return "cannot write " + tmp;
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) return "cannot write " + path;
    kept = true;
    return path;
}

}  // namespace vethlab::cli
