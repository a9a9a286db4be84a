// vethlab gen mesh|ring|line|star|bridge N: a topology with an addressing plan and the
// routes with which every namespace reaches every address.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "analysis/generators.hpp"
#include "cli/commands.hpp"
#include "model/ip_writer.hpp"
#include "model/yaml_reader.hpp"

namespace vethlab::cli {
namespace {

struct GenCliOptions {
    std::string shape;
    uint64_t n = 0;
    std::string prefix = "10.0.0.0/8";
    bool slash31 = false;
    bool no_routes = false;
    std::string to = "yaml";
    std::string out;
};

// The generated text in the form asked for; the YAML is the source of truth, the ip
// script is what that YAML compiles to.
std::optional<std::string> render(const analysis::Plan& plan, const std::string& form, const std::string& name) {
    std::string yaml = analysis::plan_yaml(plan);
    if (form == "yaml") return yaml;
    Parsed parsed = parse_yaml_topology(yaml, name);
    if (!parsed.ok()) {  // a generator bug: say so rather than print half a script
        for (const auto& d : parsed.errors) std::cerr << "vethlab: internal error: " << d.str() << "\n";
        return std::nullopt;
    }
    return write_ip_script(parsed.topology.edits, yaml.substr(2, yaml.find('\n') - 2));
}

void run(const GenCliOptions& o, Context& ctx) {
    auto pool = Prefix::parse(o.prefix);
    if (!pool) {
        std::cerr << fmt::format("vethlab gen: --prefix {}: {}\n", o.prefix, pool.error());
        ctx.exit_code = 2;
        return;
    }
    analysis::GenOptions options{*pool, o.slash31 ? 31 : 30, !o.no_routes};
    auto plan = analysis::generate(*analysis::shape_from(o.shape), o.n, options);
    if (!plan) {
        std::cerr << "vethlab gen: " << plan.error() << "\n";
        ctx.exit_code = 1;
        return;
    }
    auto text = render(*plan, o.to, o.out.empty() ? "gen" : o.out);
    if (!text) {
        ctx.exit_code = 1;
        return;
    }
    if (o.out.empty()) {
        std::cout << *text;
        return;
    }
    std::ofstream file(o.out, std::ios::binary);
    if (!(file << *text)) {
        std::cerr << o.out << ": cannot write file\n";
        ctx.exit_code = 1;
    }
}

}  // namespace

void add_gen(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<GenCliOptions>();
    auto* cmd = app.add_subcommand(
        "gen", "Write a topology of N namespaces: a full mesh, a ring, a line or a star (hub ns0), one /30 per veth "
               "pair, with the routes and forwarding that let every namespace reach every address; or N hosts on "
               "a bridge");
    cmd->add_option("shape", o->shape, "mesh, ring, line, star or bridge")
        ->required()
        ->check(CLI::IsMember({"mesh", "ring", "line", "star", "bridge"}));
    cmd->add_option("n", o->n, "namespaces")->required()->check(CLI::Range(uint64_t(1), uint64_t(100000)));
    cmd->add_option("--prefix", o->prefix, "the pool the pairs' subnets are taken from, in order")
        ->capture_default_str();
    cmd->add_flag("--31", o->slash31, "a /31 per pair (RFC 3021) instead of a /30");
    cmd->add_flag("--no-routes", o->no_routes, "links and addresses only: each namespace reaches its peers");
    cmd->add_option("--to", o->to, "yaml, or ip (a runnable script)")
        ->check(CLI::IsMember({"yaml", "ip"}))
        ->capture_default_str();
    cmd->add_option("-o,--output", o->out, "write to FILE instead of stdout");
    cmd->footer("bridge: a namespace 'switch' holds the bridge br0; host nsI's eth0 is paired with its port to-nsI; "
                "the hosts share the first subnet of --prefix large enough for N (--31 and --no-routes do not apply).");
    cmd->callback([o, &ctx] { run(*o, ctx); });
}

}  // namespace vethlab::cli
