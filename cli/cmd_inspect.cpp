// vethlab inspect / diff: the kernel's live namespaces as a topology, and how they
// differ from a file.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "backend/drift.hpp"
#include "backend/inspect.hpp"
#include "backend/journal.hpp"
#include "backend/plan.hpp"
#include "backend/privileges.hpp"
#include "cli/commands.hpp"
#include "cli/load.hpp"
#include "model/yaml_writer.hpp"

namespace vethlab::cli {
namespace {

struct InspectOptions {
    std::vector<std::string> targets;
    std::string netns_prefix;
    std::string name;
    std::string prefix;
    std::string state_dir;
    std::string output;
    bool json = false;
};

std::string lab_of(const std::string& file, const std::string& name) {
    return name.empty() ? std::filesystem::path(file).stem().string() : name;
}

std::vector<std::string> live_names(const backend::LabRecord& rec) {
    std::vector<std::string> out;
    for (const auto* ns : rec.live()) out.push_back(ns->name);
    return out;
}

// The namespaces to read (kernel names) and the prefix to take off, or why not.
Result<std::pair<std::vector<std::string>, std::string>> what_to_inspect(const InspectOptions& o) {
    const auto& t = o.targets;
    if (t.size() == 1 && std::filesystem::is_regular_file(t[0])) {
        const std::string lab = lab_of(t[0], o.name);
        const std::string dir = backend::state_dir_from(o.state_dir);
        const auto rec = backend::read_lab(dir, lab);
        if (!rec) return Error{fmt::format("no lab named '{}' in {} (is it up?)", lab, dir)};
        return std::make_pair(live_names(*rec), rec->prefix);
    }
    if (!t.empty()) {
        std::vector<std::string> names;
        for (const auto& ns : t) names.push_back(o.netns_prefix + ns);
        return std::make_pair(names, o.netns_prefix);
    }
    if (o.netns_prefix.empty()) return Error{"name the namespaces: NS..., a lab's FILE, or --netns-prefix P"};
    auto names = backend::netns_names(o.netns_prefix);
    if (names.empty()) return Error{fmt::format("no namespace under /run/netns starts with '{}'", o.netns_prefix)};
    return std::make_pair(names, o.netns_prefix);
}

void run_inspect(const InspectOptions& o, Context& ctx) {
    ctx.exit_code = 1;
    if (o.targets.empty() && o.netns_prefix.empty()) {
        std::cerr << "vethlab inspect: name the namespaces: NS..., a lab's FILE, or --netns-prefix P\n";
        ctx.exit_code = 2;
        return;
    }
    if (auto missing = backend::missing_privileges()) {
        std::cerr << "vethlab inspect: " << *missing << "\n";
        return;
    }
    auto what = what_to_inspect(o);
    if (!what) {
        std::cerr << "vethlab inspect: " << what.error() << "\n";
        return;
    }
    auto seen = backend::inspect_kernel(what->first, what->second);
    if (!seen) {
        std::cerr << "vethlab inspect: " << seen.error() << "\n";
        return;
    }
    for (const auto& w : seen->warnings) std::cerr << "vethlab inspect: " << w << "\n";
    std::string text = fmt::format("# vethlab inspect: {} namespace{} as the kernel holds them\n", what->first.size(),
                                   what->first.size() == 1 ? "" : "s");
    text += write_yaml_topology(seen->topology);
    if (o.output.empty()) {
        std::cout << text;
    } else {
        std::ofstream out(o.output, std::ios::binary);
        out << text;
        if (!out.flush()) {
            std::cerr << fmt::format("vethlab inspect: cannot write {}\n", o.output);
            return;
        }
    }
    ctx.exit_code = 0;
}

void run_diff(const InspectOptions& o, Context& ctx) {
    ctx.exit_code = 2;
    const std::string& file = o.targets.front();
    if (auto missing = backend::missing_privileges()) {
        std::cerr << "vethlab diff: " << *missing << "\n";
        return;
    }
    auto loaded = load_or_report(file);
    if (!loaded) return;
    const std::string lab = lab_of(file, o.name);
    const auto rec = backend::read_lab(backend::state_dir_from(o.state_dir), lab);
    const std::string prefix = !o.prefix.empty() || !rec ? o.prefix : rec->prefix;
    const backend::Plan plan = backend::make_plan(loaded->topology, prefix);
    if (!plan.refusals.empty()) return print_diagnostics(plan.refusals);
    std::vector<std::string> names = rec ? live_names(*rec) : std::vector<std::string>{};
    names.insert(names.end(), plan.namespaces.begin(), plan.namespaces.end());
    auto drift = backend::lab_drift(loaded->topology, plan, names);
    if (!drift) {
        std::cerr << "vethlab diff: " << drift.error() << "\n";
        return;
    }
    ctx.exit_code = drift->empty() ? 0 : 1;
    if (o.json) {
        std::cout << nlohmann::json{{"file", file}, {"lab", lab}, {"differences", drift->differences}}.dump(2) << "\n";
        return;
    }
    for (const auto& d : drift->differences) std::cout << d << "\n";
}

}  // namespace

void add_inspect(CLI::App& app, Context& ctx) {
    auto in = std::make_shared<InspectOptions>();
    auto* cmd = app.add_subcommand("inspect", "Read live namespaces from the kernel (links, veth peers, addresses, "
                                              "routes, sysctls) as a YAML topology (needs root)");
    cmd->add_option("targets", in->targets, "namespace names, or the topology file of a lab that is up");
    cmd->add_option("--netns-prefix", in->netns_prefix,
                    "namespace names start with this (taken off in the output); alone: every such namespace");
    cmd->add_option("--name", in->name, "lab name for FILE (default: the file's name without extension)");
    cmd->add_option("--state-dir", in->state_dir,
                    "where labs are journalled (default: $VETHLAB_STATE_DIR, else /run/vethlab)");
    cmd->add_option("-o,--output", in->output, "write the YAML here instead of stdout");
    cmd->callback([in, &ctx] { run_inspect(*in, ctx); });

    auto diff = std::make_shared<InspectOptions>();
    cmd = app.add_subcommand("diff", "List how the kernel differs from a topology file: exit 0 none, 1 some, 2 "
                                     "trouble (needs root)");
    cmd->add_option("file", diff->targets, "topology file (.yaml) or ip-command script (.sh)")->required()->expected(1);
    cmd->add_option("--name", diff->name, "lab name (default: the file's name without extension)");
    cmd->add_option("--prefix", diff->prefix, "namespace name prefix (default: the lab's, else none)");
    cmd->add_option("--state-dir", diff->state_dir,
                    "where labs are journalled (default: $VETHLAB_STATE_DIR, else /run/vethlab)");
    cmd->add_flag("--json", diff->json, "print the differences as JSON");
    cmd->callback([diff, &ctx] { run_diff(*diff, ctx); });
}

}  // namespace vethlab::cli
