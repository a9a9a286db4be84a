#pragma once
// A lab: a topology built on the kernel under a name, with its journal. `up` checks
// everything it can before changing anything (the lab's lock, its journal, namespaces
// and host links of the same names), then runs the plan step by step, journalling each
// namespace before creating it; a refused step or a stop request rolls everything back.
// `down` removes exactly the namespaces the journal lists (and so every link in them).
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "backend/drift.hpp"
#include "backend/netlink.hpp"
#include "backend/plan.hpp"
#include "model/result.hpp"

namespace vethlab::backend {

class Journal;

struct LabOptions {
    std::string lab;
    std::string prefix;
    std::string state_dir;
    // How the kernel's namespaces `live` (the lab's) differ from the file, for a lab that
    // is already up. Without it, `up` of a lab up from another version of its file refuses.
    std::function<Result<Drift>(const std::vector<std::string>& live)> drift;
};

struct PlanCounts {
    size_t namespaces = 0, veth_pairs = 0, other_links = 0, addresses = 0, routes = 0, sysctls = 0, other = 0;
};
PlanCounts count_plan(const Plan& plan);

enum class UpResult { built, unchanged, changed, refused, failed, interrupted };

struct UpOutcome {
    UpResult result = UpResult::refused;
    std::vector<std::string> errors;       // one line each, file:line:col where known
    std::vector<std::string> rolled_back;  // namespaces removed again
    std::vector<std::string> differences;  // up of a lab that was up: what it changed
    size_t steps_done = 0;
    double seconds = 0;
    bool ok() const {
        return result == UpResult::built || result == UpResult::unchanged || result == UpResult::changed;
    }
};

using Progress = std::function<void(size_t done, size_t total)>;

// file_text is the topology file's content (the journal keeps its hash). `stop` is
// polled between steps (SIGINT/SIGTERM set it).
UpOutcome lab_up(Netlink& nl, const Topology& topo, const std::string& file_text, const Plan& plan,
                 const LabOptions& opts, const std::atomic<bool>& stop, const Progress& progress = {});

struct DownOutcome {
    bool ok = false;
    std::string error;
    std::vector<std::string> removed;   // namespaces deleted
    std::vector<std::string> missing;   // recorded but already gone
    std::vector<std::string> replaced;  // same name, another namespace: left alone
};

// up of a lab that is up: applies o.drift()'s operations, journalling each namespace
// made or deleted, then records the file's new version. Nothing is rolled back on a
// refusal (the kernel stays in between; the journal still lists every namespace).
UpResult converge_lab(Netlink& nl, Journal& journal, const std::string& file, const std::string& hash,
                      const LabOptions& o, const std::atomic<bool>& stop, const Progress& progress, UpOutcome& out);

DownOutcome lab_down(Netlink& nl, const std::string& state_dir, const std::string& lab);

}  // namespace vethlab::backend
