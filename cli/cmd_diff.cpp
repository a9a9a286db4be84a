// vethlab fuzz-diff: random cases run in the simulator and on the kernel (fresh
// namespaces each); every disagreement shrunk to a minimal ip script.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "analysis/diff_run.hpp"
#include "analysis/diff_shrink.hpp"
#include "backend/command_lab.hpp"
#include "cli/commands.hpp"

namespace vethlab::cli {
namespace {

struct FuzzDiffOptions {
    uint64_t cases = 200;
    uint64_t seed = 1;
    std::string keep;
    int jobs = 4;
    bool no_shrink = false;
    bool no_bridges = false;
    bool strict = false;
    int reruns = 2;
};

std::vector<analysis::CommandOutput> on_kernel(const std::vector<Edit>& edits) {
    backend::CommandLab lab;
    std::vector<analysis::CommandOutput> out;
    for (auto& s : lab.run(edits)) out.push_back({std::move(s.out), s.skipped ? -1 : s.status, s.uptime, {}});
    return out;
}

// The shrunk script: same first disagreement (command and kind) as the original.
std::string shrink(const analysis::CaseResult& r, const analysis::CompareOptions& compare) {
    const analysis::Disagreement& first = *r.disagreement;
    auto same = [&](const std::string& candidate) {
        try {
            auto d = analysis::diff_script(candidate, on_kernel, compare);
            return d && d->command == first.command && d->mismatch.what == first.mismatch.what;
        } catch (const std::exception&) {
            return false;
        }
    };
    // Each try is a kernel run (about a second): at most 60 tries.
    std::string script = analysis::shrink_script(r.script, same, 60).script;
    auto d = analysis::diff_script(script, on_kernel, compare);  // describe the shrunk case itself
    return analysis::describe(d ? *d : first) + script;
}

void run(const FuzzDiffOptions& o, Context& ctx) {
    if (auto why = backend::command_lab_unavailable()) {
        std::cerr << "vethlab fuzz-diff: " << *why << "\n";
        ctx.exit_code = 1;
        return;
    }
    if (!o.keep.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.keep, ec);
        if (ec) {
            std::cerr << fmt::format("vethlab fuzz-diff: --keep {}: {}\n", o.keep, ec.message());
            ctx.exit_code = 1;
            return;
        }
    }
    backend::remove_orphan_labs();
    std::cout << std::unitbuf;  // progress lines as they come, also into a file
    std::vector<uint64_t> seeds;
    for (uint64_t i = 0; i < o.cases; ++i) seeds.push_back(o.seed + i);
    analysis::RunOptions opt;
    opt.jobs = o.jobs;
    opt.compare.strict = o.strict;
    opt.generate.bridges = !o.no_bridges;
    opt.reruns = o.reruns;
    const auto start = std::chrono::steady_clock::now();
    const auto results = analysis::run_cases(seeds, on_kernel, opt);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t agree = 0, differ = 0, broken = 0, timing = 0;
    for (const auto& r : results) {
        if (!r.error.empty()) {
            ++broken;
            std::cerr << fmt::format("seed {}: could not run: {}\n", r.seed, r.error);
            continue;
        }
        if (!r.disagreement) {
            ++agree;
            if (r.unconfirmed) {
                ++timing;
                std::cout << fmt::format("seed {}: line {}: {}: {} -- not seen again on a rerun (kernel timing)\n",
                                         r.seed, r.unconfirmed->line, r.unconfirmed->mismatch.what,
                                         r.unconfirmed->command);
            }
            continue;
        }
        ++differ;
        std::cout << fmt::format("seed {}: line {}: {}: {}\n", r.seed, r.disagreement->line,
                                 r.disagreement->mismatch.what, r.disagreement->command);
        if (o.keep.empty()) continue;
        const std::string text = o.no_shrink ? analysis::describe(*r.disagreement) + r.script : shrink(r, opt.compare);
        const auto path = std::filesystem::path(o.keep) / fmt::format("diff-{}.sh", r.seed);
        std::ofstream(path) << text;
        std::cout << "  written to " << path.string() << "\n";
    }
    std::cout << fmt::format("{} cases (seeds {}..{}): {} agree{}, {} disagree{}; {:.1f} s wall, {} jobs\n",
                             results.size(), o.seed, o.seed + o.cases - 1, agree,
                             timing ? fmt::format(" ({} of them on a rerun)", timing) : "", differ,
                             broken ? fmt::format(", {} could not run", broken) : "", wall, o.jobs);
    ctx.exit_code = differ || broken ? 1 : 0;
}

}  // namespace

void add_fuzz_diff(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<FuzzDiffOptions>();
    auto* cmd = app.add_subcommand("fuzz-diff", "random cases in the simulator and on the kernel; disagreements shrunk to ip scripts (root)");
    cmd->add_option("--cases", o->cases, "how many cases (default 200)");
    cmd->add_option("--seed", o->seed, "seed of the first case; case i uses seed+i (default 1)");
    cmd->add_option("--keep", o->keep, "write each disagreement, shrunk, to DIR/diff-SEED.sh");
    cmd->add_option("--jobs", o->jobs, "cases run at once (default 4)")->check(CLI::Range(1, 64));
    cmd->add_flag("--no-bridges", o->no_bridges, "the generator without its bridge section (the scripts of before bridges)");
    cmd->add_flag("--no-shrink", o->no_shrink, "write disagreements as generated");
    cmd->add_option("--reruns", o->reruns,
                    "a disagreeing case runs again up to N times; one agreeing run makes it kernel timing, not a "
                    "disagreement (default 2; 0: every disagreement counts)")
        ->check(CLI::Range(0, 10));
    cmd->add_flag("--strict", o->strict, "neighbour timer states (REACHABLE/DELAY/PROBE/STALE, INCOMPLETE/FAILED) must match too");
    cmd->callback([o, &ctx] { run(*o, ctx); });
}

}  // namespace vethlab::cli
