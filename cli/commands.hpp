#pragma once
// The vethlab sub-commands. Each registers itself on the CLI11 app and returns the
// process exit code through `exit_code` when run: 0 success, 1 problem found, 2 usage.
#include <CLI/CLI.hpp>

namespace vethlab::cli {

struct Context {
    int exit_code = 0;
};

void add_check(CLI::App& app, Context& ctx);
void add_show(CLI::App& app, Context& ctx);
void add_import(CLI::App& app, Context& ctx);
void add_export(CLI::App& app, Context& ctx);
void add_sim(CLI::App& app, Context& ctx);  // sim, ping, routes, reach
void add_gen(CLI::App& app, Context& ctx);
void add_mesh(CLI::App& app, Context& ctx);
void add_analyze(CLI::App& app, Context& ctx);
void add_lab(CLI::App& app, Context& ctx);  // up, down, plan
void add_verify(CLI::App& app, Context& ctx);
void add_fuzz_diff(CLI::App& app, Context& ctx);
void add_inspect(CLI::App& app, Context& ctx);  // inspect, diff

}  // namespace vethlab::cli
