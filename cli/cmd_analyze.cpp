// vethlab analyze FILE: the topology's graph -- groups that can never reach each other
// over links, namespaces and veth pairs whose loss splits a group, hop diameter, degrees.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/graph_metrics.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "model/names.hpp"

namespace vethlab::cli {
namespace {

struct AnalyzeOptions {
    std::string file;
    bool json = false;
};

std::string end(const std::string& ns, const std::string& ifname) { return ns_display(ns) + ":" + ifname; }
std::string pair_text(const VethEdge& e) { return end(e.ns_a, e.if_a) + " -- " + end(e.ns_b, e.if_b); }

std::string join(const std::vector<std::string>& words, const std::string& sep) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
    return out;
}

std::string plural(size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string text(const analysis::GraphMetrics& m, const std::string& file) {
    std::string out = fmt::format("{}: {}, {}, {}\n", file, plural(m.namespaces, "namespace"),
                                  plural(m.veth_pairs, "veth pair"),
                                  m.connected() ? "connected" : plural(m.components.size(), "group") +
                                                                    " that cannot reach each other over links");
    out += fmt::format("hop diameter: {}{}\n", m.diameter, m.connected() ? "" : " (within a group)");
    if (m.components.size() > 1)
        for (size_t i = 0; i < m.components.size(); ++i) {
            std::vector<std::string> names;
            for (const auto& ns : m.components[i].namespaces) names.push_back(ns_display(ns));
            out += fmt::format("group {}: {} ({}, diameter {})\n", i + 1, join(names, " "),
                               plural(m.components[i].veth_pairs, "pair"), m.components[i].diameter);
        }
    std::vector<std::string> cut;
    for (const auto& ns : m.articulation_points) cut.push_back(ns_display(ns));
    out += "namespaces whose loss splits a group: " + (cut.empty() ? "none" : join(cut, " ")) + "\n";
    out += std::string("veth pairs whose loss splits a group:") + (m.bridges.empty() ? " none" : "") + "\n";
    for (const auto& b : m.bridges) out += "  " + pair_text(b) + "\n";
    if (m.loops) out += fmt::format("pairs with both ends in one namespace: {}\n", m.loops);
    std::vector<std::string> degrees;
    for (const auto& [d, count] : m.degrees) degrees.push_back(fmt::format("{} in {}", d, plural(count, "namespace")));
    out += "degree (veth ends per namespace): " + (degrees.empty() ? "-" : join(degrees, ", ")) + "\n";
    return out;
}

nlohmann::json json(const analysis::GraphMetrics& m) {
    nlohmann::json groups = nlohmann::json::array(), bridges = nlohmann::json::array(),
                   degrees = nlohmann::json::object();
    for (const auto& c : m.components)
        groups.push_back({{"namespaces", c.namespaces}, {"veth_pairs", c.veth_pairs}, {"diameter", c.diameter}});
    for (const auto& b : m.bridges)
        bridges.push_back({{"a", {{"ns", b.ns_a}, {"dev", b.if_a}}}, {"b", {{"ns", b.ns_b}, {"dev", b.if_b}}}});
    for (const auto& [d, count] : m.degrees) degrees[std::to_string(d)] = count;
    return {{"namespaces", m.namespaces},
            {"veth_pairs", m.veth_pairs},
            {"loops", m.loops},
            {"connected", m.connected()},
            {"components", groups},
            {"articulation_points", m.articulation_points},
            {"bridges", bridges},
            {"diameter", m.diameter},
            {"degrees", degrees}};
}

void run(const AnalyzeOptions& o, Context& ctx) {
    auto loaded = load_or_report(o.file);
    if (!loaded) {
        ctx.exit_code = 1;
        return;
    }
    const auto metrics = analysis::analyze_graph(TopologyGraph(loaded->applied.state));
    if (o.json) std::cout << json(metrics).dump(2) << "\n";
    else std::cout << text(metrics, o.file);
}

}  // namespace

void add_analyze(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<AnalyzeOptions>();
    auto* cmd = app.add_subcommand("analyze", "The topology as a graph (namespaces and veth pairs): groups that cannot "
                                              "reach each other, namespaces and pairs whose loss splits a group, hop "
                                              "diameter, veth ends per namespace");
    cmd->add_option("file", o->file, "topology file (.yaml) or ip-command script (.sh)")->required();
    cmd->add_flag("--json", o->json, "as JSON");
    cmd->callback([o, &ctx] { run(*o, ctx); });
}

}  // namespace vethlab::cli
