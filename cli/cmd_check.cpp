// vethlab check FILE: is the topology well formed, and would the kernel accept it?
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/json_state.hpp"
#include "cli/load.hpp"
#include "model/graph.hpp"

namespace vethlab::cli {
namespace {

struct CheckOptions {
    std::string file;
    bool json = false;
};

std::string summary(const Loaded& l) {
    size_t namespaces = 0, observations = 0;
    for (const auto& [name, ns] : l.applied.state.namespaces()) namespaces += !name.empty();
    for (const auto& e : l.topology.edits) observations += e.is_observation();
    const size_t pairs = TopologyGraph(l.applied.state).edge_count();
    return fmt::format("{}: ok: {} namespace{}, {} veth pair{}, {} edits, {} observation{}", l.topology.file,
                       namespaces, namespaces == 1 ? "" : "s", pairs, pairs == 1 ? "" : "s",
                       l.topology.edits.size() - observations, observations, observations == 1 ? "" : "s");
}

void run(const CheckOptions& o, Context& ctx) {
    Diagnostics errors;
    auto loaded = load_or_report(o.file, o.json ? &errors : nullptr);
    if (o.json) {
        nlohmann::json j{{"file", o.file}, {"ok", bool(loaded)}, {"errors", diagnostics_to_json(errors)}};
        std::cout << j.dump(2) << "\n";
    } else if (loaded) {
        std::cout << summary(*loaded) << "\n";
    }
    ctx.exit_code = loaded ? 0 : 1;
}

}  // namespace

void add_check(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<CheckOptions>();
    auto* cmd = app.add_subcommand("check", "Validate a topology (YAML or ip-command script): exit 0 if well formed "
                                            "and every edit would be accepted by the kernel, else 1 with "
                                            "file:line:col for each problem");
    cmd->add_option("file", opts->file, "topology file (.yaml) or ip-command script (.sh)")->required();
    cmd->add_flag("--json", opts->json, "print the result as JSON on stdout");
    cmd->callback([opts, &ctx] { run(*opts, ctx); });
}

}  // namespace vethlab::cli
