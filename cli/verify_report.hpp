#pragma once
// What `vethlab verify` found, and how it prints: the measured matrix beside the
// predicted one, one line per probe that disagrees (or, for --peers, did not get a
// reply), the differences in tables and route lookups, and a summary.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/prober.hpp"
#include "model/route_answer.hpp"
#include "sim/reach.hpp"

namespace vethlab::cli {

struct VerifyProbe {
    sim::Probe probe;                         // namespace names as in the file
    std::optional<sim::ProbeResult> predicted;  // none with --no-predict
    backend::KernelAnswer measured;
    std::optional<RouteAnswer> sim_route, kernel_route;  // `ip route get` on both sides
    // Silent on the kernel where the simulator predicts an ICMP error that the sender's
    // ICMP budget (icmp_msgs_per_sec, not simulated) refused, as its OutRateLimitGlobal
    // counted: it agrees, and is reported apart.
    bool icmp_budget = false;

    bool outcome_agrees() const;  // same outcome, and the same sender of an ICMP error
    bool route_agrees() const { return !sim_route || !kernel_route || *sim_route == *kernel_route; }
    bool agrees() const { return outcome_agrees() && route_agrees(); }
};

struct VerifyReport {
    std::vector<VerifyProbe> probes;
    std::vector<std::string> table_diffs;   // "ns1: route only on the kernel: ..."
    std::vector<std::string> neigh_diffs;   // neighbour states after the probes (timing-dependent)
    std::vector<std::string> warnings;      // what may make the kernel's answers unreliable
    std::vector<std::string> explanations;  // for the first few disagreements
    double probe_seconds = 0;
    bool predicted = true;

    size_t disagreements() const;  // probes that disagree
    bool ok() const { return disagreements() == 0 && table_diffs.empty(); }
};

// The matrix: rows namespaces, columns addresses; measured cells, then predicted ones,
// then '*' on rows where they differ.
std::string format_verify_matrix(const VerifyReport& r);
// One line per probe that disagrees (with all_failures, also per probe without a
// reply), then a count.
void write_verify_lines(std::ostream& out, const VerifyReport& r, bool all_failures);
// Differences in tables, warnings, explanations and the summary line.
void write_verify_tail(std::ostream& out, const VerifyReport& r);
nlohmann::json verify_json(const VerifyReport& r);

}  // namespace vethlab::cli
