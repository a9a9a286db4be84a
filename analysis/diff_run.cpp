#include "analysis/diff_run.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "model/ip_script.hpp"
#include "sim/script_runner.hpp"

namespace vethlab::analysis {
namespace {

// The twin's neighbour entries whose state the kernel may show otherwise at this moment:
// a timer fires, or fired, within `tol` of now (the clocks of the two sides disagree by
// up to that much); or the kernel's reachable_time, drawn at random in [base/2,
// 3*base/2), may already have run out (REACHABLE) or may not have yet (STALE after a
// timer).
std::vector<std::string> unsettled_neighbours(sim::ScriptRunner& twin, const std::string& ns, sim::Time tol) {
    std::vector<std::string> out;
    const Namespace* n = twin.state().ns(ns);
    if (!n) return out;
    const sim::Time now = twin.kernel().now();
    for (const auto& e : twin.kernel().neighbours(ns)) {
        const bool near_next = e.next_change && *e.next_change - now <= tol;
        const bool near_last = e.last_timer && now - *e.last_timer <= tol;
        const bool random_reachable =
            (e.state == sim::NudState::reachable && now >= e.confirmed + e.reachable / 2 - tol) ||
            (e.state == sim::NudState::stale && e.last_timer && now <= e.confirmed + 3 * e.reachable / 2 + tol);
        if (near_next || near_last || random_reachable) out.push_back(e.ip.str() + " dev " + n->ifname(e.ifindex));
    }
    return out;
}

}  // namespace

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
    double kernel_start = -1;  // the kernel's clock at its first command, and the twin's
    sim::Time twin_start = 0;
    for (size_t i = 0; i < edits.size() && i < real.size(); ++i) {
        if (kernel_start < 0 && real[i].clock >= 0) {
            kernel_start = real[i].clock;
            twin_start = twin.kernel().now();
        }
        // The twin's clock follows the kernel's: the shell's work between commands (link
        // changes waiting for linkwatch, process starts) takes wall time the twin would
        // not spend, and timers run in it -- an ARP request retransmitted a second after
        // a ping reaches a bridge made meanwhile, which learns its sender (fuzz-diff, seed
        // 9093). The twin never runs ahead of the kernel by waiting; pings take their time on both.
        if (opt.follow_clock && kernel_start >= 0 && real[i].clock >= 0) {
            const sim::Time target = twin_start + sim::Time(std::llround((real[i].clock - kernel_start) * double(sim::kSecond)));
            if (target > twin.kernel().now()) twin.kernel().queue().run_until(target);
        }
        const sim::Time twin_clock = twin.kernel().now();
        const sim::StepResult predicted = twin.run(edits[i]);
        if (real[i].status == -1) continue;  // not run on the kernel
        CommandOutput sim_side{predicted.output, predicted.exit_code, double(twin_clock) / double(sim::kSecond), {}};
        const auto* show = std::get_if<Show>(&edits[i].op);
        if (show && show->what == ShowWhat::ip_neigh && predicted.exit_code == 0) {
            // How far the kernel's clock ran from the twin's since the start (0 unknown), + 0.3 s.
            const double jitter = kernel_start < 0 || real[i].clock < 0
                                      ? 0
                                      : std::abs((real[i].clock - kernel_start) -
                                                 double(twin_clock - twin_start) / double(sim::kSecond));
            const auto tol = sim::Time((jitter + 0.3) * double(sim::kSecond));
            sim_side.unsettled = unsettled_neighbours(twin, show->ns, tol);
        }
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
                r.runs = 1;
                for (int k = 0; r.disagreement && k < opt.reruns; ++k) {
                    ++r.runs;
                    if (!diff_script(r.script, runner, opt.compare)) {
                        r.unconfirmed = std::move(r.disagreement);
                        r.disagreement.reset();
                    }
                }
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
