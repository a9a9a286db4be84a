#pragma once
// One differential case: the script runs in the simulator and, through a runner the
// caller gives (backend::CommandLab in fresh namespaces), on the kernel; the first
// command whose outputs differ is the disagreement. Many cases run on a few threads.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/diff_case.hpp"
#include "analysis/diff_compare.hpp"
#include "model/edit.hpp"

namespace vethlab::analysis {

// Runs the edits on the kernel: one CommandOutput per edit (a skipped one: status -1).
using KernelRunner = std::function<std::vector<CommandOutput>(const std::vector<Edit>& edits)>;

struct Disagreement {
    int line = 0;         // in the script
    std::string command;  // as written
    Mismatch mismatch;
};

struct CaseResult {
    uint64_t seed = 0;
    std::string script;
    std::optional<Disagreement> disagreement;  // seen on every run of the case
    // A disagreement that a rerun did not show: the kernel's timing (linkwatch enabling
    // a bridge port, a retransmitted ARP request landing before or after a command),
    // reported but not a verdict against the simulator.
    std::optional<Disagreement> unconfirmed;
    int runs = 0;
    std::string error;  // the case could not run (parse error, no shell): not a verdict
    double seconds = 0;
};

// The first disagreement of the script, nullopt when all commands agree. The script
// must parse (else CaseResult::error via run_case; here: std::invalid_argument).
std::optional<Disagreement> diff_script(const std::string& script, const KernelRunner& kernel,
                                        const CompareOptions& opt = {});

// The disagreement as the comment block that heads a shrunk script.
std::string describe(const Disagreement& d);

struct RunOptions {
    int jobs = 4;
    int reruns = 2;  // a disagreeing case runs again up to this often; one agreeing run clears it
    CompareOptions compare;
    CaseOptions generate;
};

// Generates and runs one case per seed on `jobs` threads; results in seed order.
// `runner` is called from several threads at once.
std::vector<CaseResult> run_cases(const std::vector<uint64_t>& seeds, const KernelRunner& runner,
                                  const RunOptions& opt);

}  // namespace vethlab::analysis
