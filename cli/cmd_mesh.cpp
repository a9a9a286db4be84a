// vethlab mesh: how many veth pairs, interfaces and addresses a full mesh of n namespaces
// needs, against a bridge, a ring, a line and a star -- as a table, CSV, JSON or a chart.
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/growth.hpp"
#include "analysis/svg_plot.hpp"
#include "analysis/svg_text.hpp"
#include "cli/commands.hpp"

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
};

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

void run(const MeshOptions& o, Context& ctx) {
    if (o.min > o.max) {
        std::cerr << fmt::format("vethlab mesh: --min {} is above --max {}\n", o.min, o.max);
        ctx.exit_code = 2;
        return;
    }
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
        ->check(CLI::IsMember({"pairs", "interfaces", "addresses"}))
        ->capture_default_str();
    cmd->callback([o, &ctx] { run(*o, ctx); });
}

}  // namespace vethlab::cli
