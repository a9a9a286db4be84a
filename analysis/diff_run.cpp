#include "analysis/diff_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "model/ip_script.hpp"
#include "sim/script_runner.hpp"

namespace vethlab::analysis {

std::optional<Disagreement> diff_script(const std::string& script, const KernelRunner& kernel,
                                        const CompareOptions& opt) {
    const Parsed parsed = parse_ip_script(script, "case.sh");
    if (!parsed.ok()) {
        std::string why;
        for (const auto& d : parsed.errors) why += d.str() + "\n";
        throw std::invalid_argument(why);
    }
    const auto& edits = parsed.topology.edits;
    const std::vector<CommandOutput> real = kernel(edits);
    sim::ScriptRunner twin;
    for (size_t i = 0; i < edits.size() && i < real.size(); ++i) {
        const sim::StepResult predicted = twin.run(edits[i]);
        if (real[i].status == -1) continue;  // not run on the kernel
        const CommandOutput sim_side{predicted.output, predicted.exit_code};
        if (auto m = compare_command(edits[i], sim_side, real[i], opt))
            return Disagreement{int(edits[i].loc.line), edits[i].text, std::move(*m)};
    }
    return std::nullopt;
}

std::string describe(const Disagreement& d) {
    auto commented = [](const std::string& text) {
        std::string out;
        size_t start = 0;
        while (start < text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            out += "#   " + text.substr(start, end - start) + "\n";
            start = end + 1;
        }
        return out.empty() ? std::string("#   (nothing)\n") : out;
    };
    return "# disagreement (" + d.mismatch.what + ") at line " + std::to_string(d.line) + ": " + d.command +
           "\n# simulator:\n" + commented(d.mismatch.sim) + "# kernel:\n" + commented(d.mismatch.kernel);
}

std::vector<CaseResult> run_cases(const std::vector<uint64_t>& seeds, const KernelRunner& runner,
                                  const RunOptions& opt) {
    std::vector<CaseResult> results(seeds.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next++) < seeds.size();) {
            CaseResult& r = results[i];
            const auto start = std::chrono::steady_clock::now();
            r.seed = seeds[i];
            r.script = generate_case(seeds[i], opt.generate);
            try {
                r.disagreement = diff_script(r.script, runner, opt.compare);
            } catch (const std::exception& e) {
                r.error = e.what();
            }
            r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < std::max(1, opt.jobs); ++j) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    return results;
}

}  // namespace vethlab::analysis
