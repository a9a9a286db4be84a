// vethlab mesh: how many veth pairs, interfaces and addresses a full mesh of n namespaces
// needs, against a bridge, a ring, a line and a star -- as a table, CSV, JSON or a chart.
// With --measure (root) it builds each mesh and each bridge on the kernel and fits what
// they cost.
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/growth.hpp"
#include "analysis/svg_plot.hpp"
#include "analysis/svg_text.hpp"
#include "backend/journal.hpp"
#include "backend/meminfo.hpp"
#include "backend/privileges.hpp"
#include "cli/commands.hpp"
#include "cli/mesh_measure.hpp"

namespace vethlab::cli {
namespace {

struct MeshOptions {
    uint64_t min = 2;
    uint64_t max = 50;
    bool csv = false;
    bool json = false;
    std::string svg;
    bool log = false;
    std::string plot = "pairs";
    bool measure = false;
    uint64_t step = 1;
    int repeat = 3;
    uint64_t extrapolate = 400;
    std::string state_dir;
};

bool is_measured_plot(const std::string& plot) { return plot == "memory" || plot == "build" || plot == "teardown"; }

std::string grouped(double v) { return analysis::with_commas(uint64_t(v)); }

// Two header lines: the shape over its columns. Ring, line and star show pairs only
// (interfaces and addresses are twice that, as the footer says).
std::string text_table(const analysis::GrowthTable& t) {
    struct Col { std::string group, head, key; };
    const std::vector<Col> cols{{"", "n", "n"},
                                {"full mesh", "pairs", "mesh_pairs"},   {"", "ifaces", "mesh_interfaces"},
                                {"", "addrs", "mesh_addresses"},        {"bridge", "pairs", "bridge_pairs"},
                                {"", "ifaces", "bridge_interfaces"},    {"", "addrs", "bridge_addresses"},
                                {"ring", "pairs", "ring_pairs"},        {"line", "pairs", "line_pairs"},
                                {"star", "pairs", "star_pairs"}};
    std::vector<size_t> width(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
        width[c] = std::max(cols[c].head.size(), grouped(t.rows.back()[t.column(cols[c].key)]).size());
        if (!cols[c].group.empty()) width[c] = std::max(width[c], cols[c].group.size());
    }
    std::string top, head;
    for (size_t c = 0; c < cols.size(); ++c) {
        const std::string gap = c == 0 ? "" : (cols[c].group.empty() ? "  " : "    ");
        top += gap + fmt::format("{:<{}}", cols[c].group, width[c]);
        head += gap + fmt::format("{:>{}}", cols[c].head, width[c]);
    }
    while (!top.empty() && top.back() == ' ') top.pop_back();
    std::string out = top + "\n" + head + "\n";
    for (const auto& row : t.rows) {
        for (size_t c = 0; c < cols.size(); ++c) {
            const std::string gap = c == 0 ? "" : (cols[c].group.empty() ? "  " : "    ");
            out += gap + fmt::format("{:>{}}", grouped(row[t.column(cols[c].key)]), width[c]);
        }
        out += "\n";
    }
    return out + "ifaces: veth ends (the bridge adds its own device). A ring, a line and a star need two interfaces\n"
                 "and two addresses per pair; on a bridge only the namespace ends have addresses.\n";
}

nlohmann::json json_rows(const analysis::GrowthTable& t) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& row : t.rows) {
        nlohmann::json r = nlohmann::json::object();
        for (size_t c = 0; c < t.columns.size(); ++c) r[t.columns[c]] = uint64_t(row[c]);
        out.push_back(std::move(r));
    }
    return out;
}

bool write_chart(const analysis::GrowthTable& t, const MeshOptions& o) {
    const std::string noun = o.plot == "pairs" ? "veth pairs" : o.plot;
    analysis::PlotOptions plot{fmt::format("{} needed by n namespaces", noun), "n (namespaces)", noun, o.log};
    std::ofstream file(o.svg, std::ios::binary);
    if (file << analysis::svg_line_chart(analysis::growth_series(t, o.plot), plot)) return true;
    std::cerr << o.svg << ": cannot write file\n";
    return false;
}


// What a row's memory leaves per pair once the fitted fixed and per-namespace parts are
// taken off: flat in n when a pair costs the same at every size.
double per_pair_left(const Measurement& m, const MeasuredRow& r) {
    if (!r.pairs || !m.memory) return 0;
    return (r.kernel_kib - m.memory->fixed - m.memory->per_namespace * double(r.n)) / double(r.pairs);
}

std::string gib(double kib) { return fmt::format("{:.2f} GiB", kib / 1024 / 1024); }

// The bridges' rows: per host, what is left once the fitted fixed part is taken off.
std::string bridge_text(const Measurement& m) {
    if (m.bridge_rows.empty()) return "";
    std::string out = fmt::format("bridge (gen bridge n: n hosts, one veth pair each, on br0 in a switch namespace)\n"
                                  "{:>4}  {:>6}  {:>9}  {:>10}  {:>11}  {:>9}\n",
                                  "n", "pairs", "build s", "teardown s", "kernel KiB", "KiB/host");
    for (const auto& r : m.bridge_rows)
        out += fmt::format("{:>4}  {:>6}  {:>9.3f}  {:>10.3f}  {:>11.0f}  {:>9.1f}\n", r.n, r.pairs, r.build_s,
                           r.teardown_s, r.kernel_kib,
                           m.bridge_memory ? (r.kernel_kib - m.bridge_memory->fixed) / double(r.n) : 0.0);
    return out + "KiB/host: what is left per host (its namespace, its pair, its port) once the fixed part is taken off.\n";
}

std::string measured_text(const Measurement& m, const MeshOptions& o, const std::optional<backend::MemInfo>& mem) {
    std::string out = fmt::format("{:>4}  {:>6}  {:>9}  {:>10}  {:>11}  {:>9}\n", "n", "pairs", "build s", "teardown s",
                                  "kernel KiB", "KiB/pair");
    for (const auto& r : m.rows)
        out += fmt::format("{:>4}  {:>6}  {:>9.3f}  {:>10.3f}  {:>11.0f}  {:>9.1f}\n", r.n, r.pairs, r.build_s,
                           r.teardown_s, r.kernel_kib, per_pair_left(m, r));
    out += "build s, teardown s: the fastest run; kernel KiB: increase of Slab + Percpu + VmallocUsed\n"
           "(/proc/meminfo), median of the runs;\n"
           "KiB/pair: what is left per pair once the fixed and per-namespace parts are taken off.\n";
    out += bridge_text(m);
    if (!m.memory || !m.build) return out + "too few sizes measured to fit a model (give at least 3 values of n)\n";
    const auto& mm = *m.memory;
    const auto& b = *m.build;
    out += fmt::format("memory:   {:.1f} KiB per pair, {:.1f} KiB per namespace{}, {:.0f} KiB fixed (R^2 = {:.4f})\n",
                       mm.per_pair, mm.per_namespace, m.namespace_kib > 0 ? " (measured alone)" : "", mm.fixed, mm.r2);
    out += fmt::format("build:    {:.3f} ms per pair, {:.3f} ms per namespace (R^2 = {:.4f})\n", b.per_pair * 1e3,
                       b.per_namespace * 1e3, b.r2);
    if (m.teardown)
        out += fmt::format("teardown: {:.3f} ms per pair, {:.3f} ms per namespace (R^2 = {:.4f})\n",
                           m.teardown->per_pair * 1e3, m.teardown->per_namespace * 1e3, m.teardown->r2);
    const uint64_t x = o.extrapolate;
    if (m.bridge_memory && m.bridge_build) {
        out += fmt::format("bridge memory:   {:.1f} KiB per host, {:.0f} KiB fixed (R^2 = {:.4f})\n",
                           m.bridge_memory->per_host, m.bridge_memory->fixed, m.bridge_memory->r2);
        out += fmt::format("bridge build:    {:.3f} ms per host (R^2 = {:.4f})\n", m.bridge_build->per_host * 1e3,
                           m.bridge_build->r2);
        if (m.bridge_teardown)
            out += fmt::format("bridge teardown: {:.3f} ms per host (R^2 = {:.4f})\n", m.bridge_teardown->per_host * 1e3,
                               m.bridge_teardown->r2);
    }
    out += fmt::format("n = {}, full mesh: {} pairs, about {} of kernel memory, about {:.1f} s to build", x,
                       analysis::with_commas(analysis::mesh_pairs(x)), gib(mm.at(x)), b.at(x));
    if (m.teardown) out += fmt::format(", {:.1f} s to tear down", m.teardown->at(x));
    out += "\n";
    if (m.bridge_memory && m.bridge_build) {
        out += fmt::format("n = {}, bridge:    {} pairs, about {} of kernel memory, about {:.1f} s to build", x,
                           analysis::with_commas(x), gib(m.bridge_memory->at(x)), m.bridge_build->at(x));
        if (m.bridge_teardown) out += fmt::format(", {:.1f} s to tear down", m.bridge_teardown->at(x));
        out += "\n";
    }
    if (mem && mm.per_pair > 0)
        out += fmt::format("largest full mesh in 80% of this machine's available memory ({}): n = {}\n",
                           gib(double(mem->available_kib)), mm.max_n_within(0.8 * double(mem->available_kib)));
    return out;
}

nlohmann::json model_json(const std::optional<analysis::MeshCostModel>& m) {
    if (!m) return nullptr;
    return {{"fixed", m->fixed}, {"per_namespace", m->per_namespace}, {"per_pair", m->per_pair}, {"r2", m->r2}};
}

nlohmann::json bridge_model_json(const std::optional<analysis::BridgeCostModel>& m) {
    if (!m) return nullptr;
    return {{"fixed", m->fixed}, {"per_host", m->per_host}, {"r2", m->r2}};
}

nlohmann::json bridge_json(const Measurement& m, const MeshOptions& o) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : m.bridge_rows)
        rows.push_back({{"n", r.n},
                        {"pairs", r.pairs},
                        {"build_s", r.build_s},
                        {"teardown_s", r.teardown_s},
                        {"kernel_kib", r.kernel_kib},
                        {"available_drop_kib", r.available_kib}});
    nlohmann::json j{{"rows", rows},
                     {"memory_kib", bridge_model_json(m.bridge_memory)},
                     {"build_s", bridge_model_json(m.bridge_build)},
                     {"teardown_s", bridge_model_json(m.bridge_teardown)}};
    if (m.bridge_memory && m.bridge_build) {
        const uint64_t x = o.extrapolate;
        j["extrapolated"] = {{"n", x},
                             {"pairs", x},
                             {"kernel_kib", m.bridge_memory->at(x)},
                             {"build_s", m.bridge_build->at(x)},
                             {"teardown_s", m.bridge_teardown ? m.bridge_teardown->at(x) : 0.0}};
    }
    return j;
}

nlohmann::json measured_json(const Measurement& m, const MeshOptions& o, const std::optional<backend::MemInfo>& mem) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : m.rows)
        rows.push_back({{"n", r.n},
                        {"pairs", r.pairs},
                        {"build_s", r.build_s},
                        {"teardown_s", r.teardown_s},
                        {"kernel_kib", r.kernel_kib},
                        {"available_drop_kib", r.available_kib},
                        {"kib_per_pair", per_pair_left(m, r)}});
    nlohmann::json j{{"rows", rows},
                     {"namespace_alone_kib", m.namespace_kib},
                     {"memory_kib", model_json(m.memory)},
                     {"build_s", model_json(m.build)},
                     {"teardown_s", model_json(m.teardown)}};
    if (m.memory && m.build) {
        const uint64_t x = o.extrapolate;
        j["extrapolated"] = {{"n", x},
                             {"pairs", analysis::mesh_pairs(x)},
                             {"kernel_kib", m.memory->at(x)},
                             {"build_s", m.build->at(x)},
                             {"teardown_s", m.teardown ? m.teardown->at(x) : 0.0}};
        if (mem && m.memory->per_pair > 0)
            j["max_n_in_80pct_available"] = m.memory->max_n_within(0.8 * double(mem->available_kib));
    }
    j["bridge"] = bridge_json(m, o);
    if (!m.error.empty()) j["error"] = m.error;
    return j;
}

std::string measured_csv(const Measurement& m) {
    std::string out = "topology,n,pairs,build_s,teardown_s,kernel_kib,available_drop_kib\n";
    for (const auto* rows : {&m.rows, &m.bridge_rows})
        for (const auto& r : *rows)
            out += fmt::format("{},{},{},{:.6f},{:.6f},{:.0f},{:.0f}\n", rows == &m.rows ? "mesh" : "bridge", r.n,
                               r.pairs, r.build_s, r.teardown_s, r.kernel_kib, r.available_kib);
    return out;
}

// The measured points of the meshes and of the bridges and, when there is one, each
// fitted curve over the same n: four series.
bool write_measured_chart(const Measurement& m, const MeshOptions& o) {
    const bool memory = o.plot == "memory", build = o.plot == "build";
    const double scale = memory ? 1024 : 1;
    auto value = [&](const MeasuredRow& r) { return (memory ? r.kernel_kib : build ? r.build_s : r.teardown_s) / scale; };
    const std::string kept = memory ? "measured (median)" : "measured (fastest)";
    const auto& mesh_model = memory ? m.memory : build ? m.build : m.teardown;
    const auto& bridge_model = memory ? m.bridge_memory : build ? m.bridge_build : m.bridge_teardown;
    analysis::Series mesh{"full mesh: " + kept, {}}, mesh_fit{"full mesh fit: a + b n + c n(n-1)/2", {}};
    analysis::Series bridge{"bridge: " + kept, {}}, bridge_fit{"bridge fit: a + b n", {}};
    for (const auto& r : m.rows) {
        mesh.points.emplace_back(double(r.n), value(r));
        if (mesh_model) mesh_fit.points.emplace_back(double(r.n), mesh_model->at(r.n) / scale);
    }
    for (const auto& r : m.bridge_rows) {
        bridge.points.emplace_back(double(r.n), value(r));
        if (bridge_model) bridge_fit.points.emplace_back(double(r.n), bridge_model->at(r.n) / scale);
    }
    std::vector<analysis::Series> series{mesh};
    if (mesh_model) series.push_back(mesh_fit);
    if (!bridge.points.empty()) series.push_back(bridge);
    if (bridge_model) series.push_back(bridge_fit);
    const std::string y = memory ? "kernel memory (MiB)" : build ? "build time (s)" : "teardown time (s)";
    analysis::PlotOptions plot{fmt::format("{} of n namespaces: full mesh and bridge", y), "n (namespaces)", y, o.log};
    std::ofstream file(o.svg, std::ios::binary);
    if (file << analysis::svg_line_chart(series, plot)) return true;
    std::cerr << o.svg << ": cannot write file\n";
    return false;
}

void run_measure(const MeshOptions& o, Context& ctx) {
    ctx.exit_code = 1;
    if (auto missing = backend::missing_privileges()) {
        std::cerr << "vethlab mesh --measure: " << *missing << "\n";
        return;
    }
    MeasureOptions mo{o.min, o.max, o.step, o.repeat, backend::state_dir_from(o.state_dir)};
    const Measurement m = measure_meshes(mo, std::cerr);
    const auto mem = backend::read_meminfo();
    if (o.json) std::cout << measured_json(m, o, mem).dump(2) << "\n";
    else if (o.csv) std::cout << measured_csv(m);
    else std::cout << measured_text(m, o, mem);
    if (!m.error.empty()) {
        std::cerr << "vethlab mesh --measure: stopped: " << m.error << "\n";
        return;
    }
    bool kept = false;
    const std::string where = save_cost_model(mo.state_dir, m, kept);
    std::cerr << (kept ? "memory model kept for `vethlab up` in " : "memory model not kept for `vethlab up`: ") << where
              << "\n";
    ctx.exit_code = 0;
    if (!o.svg.empty() && !write_measured_chart(m, o)) ctx.exit_code = 1;
}

void run(const MeshOptions& o, Context& ctx) {
    if (o.min > o.max) {
        std::cerr << fmt::format("vethlab mesh: --min {} is above --max {}\n", o.min, o.max);
        ctx.exit_code = 2;
        return;
    }
    if (is_measured_plot(o.plot) != o.measure && !o.svg.empty()) {
        std::cerr << fmt::format("vethlab mesh: --plot {} {}\n", o.plot,
                                 o.measure ? "is a count: with --measure, plot memory, build or teardown"
                                           : "needs --measure");
        ctx.exit_code = 2;
        return;
    }
    if (o.measure) return run_measure(o, ctx);
    const auto table = analysis::link_growth(o.min, o.max);
    if (o.json) std::cout << json_rows(table).dump(2) << "\n";
    else if (o.csv) std::cout << analysis::growth_csv(table);
    else std::cout << text_table(table);
    if (!o.svg.empty() && !write_chart(table, o)) ctx.exit_code = 1;
}

}  // namespace

void add_mesh(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<MeshOptions>();
    auto* cmd = app.add_subcommand("mesh", "How a full mesh grows: the veth pairs (n(n-1)/2), interfaces and addresses "
                                           "n namespaces need as a full mesh, on a bridge, as a ring, a line and a star");
    cmd->add_option("--min", o->min, "smallest n")->capture_default_str()->check(CLI::Range(uint64_t(1), uint64_t(1000000)));
    cmd->add_option("--max", o->max, "largest n")->capture_default_str()->check(CLI::Range(uint64_t(1), uint64_t(1000000)));
    auto* csv = cmd->add_flag("--csv", o->csv, "comma-separated values, every column");
    auto* json = cmd->add_flag("--json", o->json, "one object per n, every column");
    csv->excludes(json);
    cmd->add_option("--svg", o->svg, "also draw a chart into FILE (SVG)");
    cmd->add_flag("--log", o->log, "the chart's y axis on a log scale");
    cmd->add_option("--plot", o->plot, "what the chart shows")
        ->check(CLI::IsMember({"pairs", "interfaces", "addresses", "memory", "build", "teardown"}))
        ->capture_default_str();
    cmd->add_flag("--measure", o->measure,
                  "build each mesh and each bridge on this kernel (root), time them, read their kernel memory, fit "
                  "cost models");
    cmd->add_option("--step", o->step, "with --measure: measure every STEP-th n")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(1), uint64_t(1000)));
    cmd->add_option("--repeat", o->repeat, "with --measure: runs per n (the median is kept)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    cmd->add_option("--extrapolate", o->extrapolate, "with --measure: what the model says for this n")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t(2), uint64_t(100000)));
    cmd->add_option("--state-dir", o->state_dir,
                    "with --measure: where the measured labs are journalled and the fitted model is kept");
    cmd->callback([o, &ctx] { run(*o, ctx); });
}

}  // namespace vethlab::cli
