#include "cli/verify_report.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace vethlab::cli {
namespace {

std::string measured_text(const VerifyProbe& p) {
    std::string s(to_string(p.measured.outcome));
    if (p.measured.outcome == ProbeOutcome::no_route) s += " (sendto: " + p.measured.detail + ")";
    else if (!p.measured.detail.empty()) s += " " + p.measured.detail;
    return s;
}

std::string predicted_text(const sim::ProbeResult& r) {
    std::string s(to_string(r.outcome));
    if (r.outcome == ProbeOutcome::no_route) s += " (connect: " + r.detail + ")";
    else if (!r.detail.empty()) s += " " + r.detail;
    return s;
}

}  // namespace

bool VerifyProbe::outcome_agrees() const {
    if (!predicted || icmp_budget) return true;
    if (predicted->outcome != measured.outcome) return false;
    switch (measured.outcome) {
        case ProbeOutcome::reply:
        case ProbeOutcome::silent: return true;
        default: return predicted->detail == measured.detail;
    }
}

size_t VerifyReport::disagreements() const {
    return size_t(std::count_if(probes.begin(), probes.end(), [](const VerifyProbe& p) { return !p.agrees(); }));
}

std::string format_verify_matrix(const VerifyReport& r) {
    std::vector<std::string> rows, cols;
    std::unordered_map<std::string, size_t> row_of;
    std::unordered_map<uint32_t, size_t> col_of;
    for (const auto& p : r.probes) {
        if (row_of.try_emplace(p.probe.ns, rows.size()).second) rows.push_back(p.probe.ns);
        if (col_of.try_emplace(p.probe.dst.value(), cols.size()).second) cols.push_back(p.probe.dst.str());
    }
    std::string measured(rows.size() * cols.size(), ' '), predicted = measured;
    std::vector<bool> differs(rows.size(), false);
    for (const auto& p : r.probes) {
        const size_t ri = row_of[p.probe.ns], at = ri * cols.size() + col_of[p.probe.dst.value()];
        measured[at] = outcome_letter(p.measured.outcome);
        if (p.predicted) predicted[at] = outcome_letter(p.predicted->outcome);
        if (!p.agrees()) differs[ri] = true;
    }
    size_t width = 4;
    for (const auto& row : rows) width = std::max(width, row.size());
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i)
        out += fmt::format("{:>{}}  {} {}\n", "", width, std::string(i, '|') + "+", cols[i]);
    const size_t block = std::max(cols.size(), std::string_view("kernel").size());
    out += fmt::format("{:>{}}  {:<{}}", "", width, "kernel", block);
    out += r.predicted ? fmt::format("  {}\n", "simulator") : "\n";
    for (size_t ri = 0; ri < rows.size(); ++ri) {
        out += fmt::format("{:>{}}  {:<{}}", rows[ri], width, measured.substr(ri * cols.size(), cols.size()), block);
        if (r.predicted) {
            out += fmt::format("  {:<{}}", predicted.substr(ri * cols.size(), cols.size()), block);
            if (differs[ri]) out += "  *";
        }
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += "\n";
    }
    out += "\nr reply  h host unreachable  n net unreachable  p prohibited  t ttl exceeded  - no route  . silent\n";
    if (std::find(differs.begin(), differs.end(), true) != differs.end())
        out += "* the kernel and the simulator disagree on this row\n";
    return out;
}

void write_verify_lines(std::ostream& out, const VerifyReport& r, bool all_failures) {
    size_t replies = 0;
    for (const auto& p : r.probes) {
        replies += p.measured.outcome == ProbeOutcome::reply;
        if (p.agrees() && (!all_failures || p.measured.outcome == ProbeOutcome::reply)) continue;
        out << p.probe.ns << " -> " << p.probe.dst.str() << " (" << p.probe.target << "): " << measured_text(p);
        if (p.predicted && !p.outcome_agrees()) out << "; predicted " << predicted_text(*p.predicted);
        if (p.icmp_budget)
            out << "; predicted " << predicted_text(*p.predicted) << ", which the sender's ICMP budget refused";
        if (!p.route_agrees()) out << "; route get differs";
        out << '\n';
    }
    out << fmt::format("{} probes: {} replies, {} without\n", r.probes.size(), replies, r.probes.size() - replies);
}

void write_verify_tail(std::ostream& out, const VerifyReport& r) {
    if (!r.table_diffs.empty()) {
        out << "\nTables that differ (kernel vs simulator):\n";
        for (const auto& d : r.table_diffs) out << "  " << d << '\n';
    }
    if (!r.neigh_diffs.empty()) {
        out << "\nNeighbour states that differ after the probes (kernel vs simulator):\n";
        for (const auto& d : r.neigh_diffs) out << "  " << d << '\n';
    }
    for (const auto& w : r.warnings) out << "warning: " << w << '\n';
    for (const auto& e : r.explanations) out << '\n' << e;
    const size_t bad = r.disagreements();
    if (!r.predicted) {
        out << fmt::format("{} probes measured in {:.2f} s (no prediction)\n", r.probes.size(), r.probe_seconds);
        return;
    }
    out << fmt::format("{} probes in {:.2f} s: {} agree with the simulator, {} disagree; {} table difference{}\n",
                       r.probes.size(), r.probe_seconds, r.probes.size() - bad, bad, r.table_diffs.size(),
                       r.table_diffs.size() == 1 ? "" : "s");
}

nlohmann::json verify_json(const VerifyReport& r) {
    nlohmann::json probes = nlohmann::json::array();
    for (const auto& p : r.probes) {
        nlohmann::json j{{"from", p.probe.ns},
                         {"to", p.probe.dst.str()},
                         {"target", p.probe.target},
                         {"measured", to_string(p.measured.outcome)},
                         {"measured_detail", p.measured.detail},
                         {"rtt_ms", p.measured.rtt_ms}};
        if (p.predicted) {
            j["predicted"] = to_string(p.predicted->outcome);
            j["predicted_detail"] = p.predicted->detail;
            j["agree"] = p.agrees();
            j["icmp_budget"] = p.icmp_budget;
        }
        if (p.kernel_route) j["kernel_route_get"] = format_route_answer(p.probe.dst, *p.kernel_route);
        if (p.sim_route) j["sim_route_get"] = format_route_answer(p.probe.dst, *p.sim_route);
        probes.push_back(std::move(j));
    }
    return {{"probes", probes},         {"table_diffs", r.table_diffs}, {"neighbour_diffs", r.neigh_diffs},    {"warnings", r.warnings},
            {"explanations", r.explanations}, {"seconds", r.probe_seconds}, {"disagreements", r.disagreements()},
            {"predicted", r.predicted}, {"ok", r.ok()}};
}

}  // namespace vethlab::cli
