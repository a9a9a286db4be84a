#include "analysis/diff_compare.hpp"

#include <algorithm>
#include <regex>
#include <sstream>
#include <vector>

namespace vethlab::analysis {
namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

// iproute2 prints this in the middle of an `ip addr` / `ip link` dump when a peer
// namespace's id cannot be resolved -- seen only while other cases or tests create and
// delete namespaces at the same time (fuzz-diff --jobs, ctest -j2): ip resolves every
// entry of /run/netns, and one being created is not a namespace yet. A rerun never
// shows it.
std::string strip_dump_noise(std::string text) {
    const std::string noise = "Error: Peer netns reference is invalid.\n";
    for (size_t pos; (pos = text.find(noise)) != std::string::npos;) text.erase(pos, noise.size());
    return text;
}

std::string mask_macs(const std::string& text) {
    static const std::regex mac("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), mac), end; it != end; ++it) {
        const std::string m = it->str();
        out.append(last, (*it)[0].first);
        out += m == "00:00:00:00:00:00" || m == "ff:ff:ff:ff:ff:ff" ? m : "<mac>";
        last = (*it)[0].second;
    }
    return out.append(last, text.cend());
}

std::string normalise_ping(const std::string& text) {
    static const std::regex rtt(R"(time=[0-9.]+ ms)");
    static const std::regex total(R"(, time [0-9]+ms)");
    static const std::regex stats(R"(rtt min/avg/max/mdev = .*)");
    std::string s = std::regex_replace(text, rtt, "time=T ms");
    s = std::regex_replace(s, total, ", time Tms");
    return std::regex_replace(s, stats, "rtt min/avg/max/mdev = T");
}

std::string normalise_neigh(const std::string& text, const std::vector<std::string>& unsettled) {
    std::vector<std::string> lines = lines_of(mask_macs(text));
    for (auto& l : lines) {
        // "IP dev DEV ..." (or "IP ..." under `ip neigh show dev DEV`).
        const std::string ip = l.substr(0, l.find(' '));
        const size_t dev_at = l.find(" dev ");
        const std::string dev =
            dev_at == std::string::npos ? "" : l.substr(dev_at + 5, l.find(' ', dev_at + 5) - (dev_at + 5));
        for (const auto& u : unsettled)
            if (u.substr(0, u.find(' ')) == ip && (dev.empty() || u == ip + " dev " + dev)) {
                l = (dev.empty() ? ip : ip + " dev " + dev) + " <unsettled>";
                break;
            }
    }
    std::sort(lines.begin(), lines.end());  // ip neigh lists in hash order
    return join(lines);
}

std::string normalise_link(const std::string& text, bool strict) {
    std::string s = mask_macs(text);
    if (strict) return s;
    s = std::regex_replace(s, std::regex("state LOWERLAYERDOWN"), "state DOWN");
    return std::regex_replace(s, std::regex("LOWERLAYERDOWN"), "DOWN          ");
}

std::string normalise_fdb(const std::string& text) {
    std::string out;
    for (const auto& l : lines_of(mask_macs(text)))
        if (l.find(" master ") != std::string::npos) out += l + "\n";
    return out;
}

std::optional<Mismatch> compare_command(const Edit& edit, const CommandOutput& sim, const CommandOutput& kernel,
                                        const CompareOptions& opt) {
    if (std::holds_alternative<Sleep>(edit.op)) return std::nullopt;
    if (!edit.is_observation()) {
        const bool sim_ok = sim.status == 0, kernel_ok = kernel.status == 0;
        if (sim_ok != kernel_ok)
            return Mismatch{"refused on one side", sim_ok ? "<accepted>" : trim(sim.out),
                            kernel_ok ? "<accepted>" : trim(kernel.out)};
        if (!sim_ok && trim(sim.out) != trim(kernel.out)) return Mismatch{"message", trim(sim.out), trim(kernel.out)};
        return std::nullopt;
    }
    std::string s = sim.out, k = strip_dump_noise(kernel.out);
    const auto* show = std::get_if<Show>(&edit.op);
    if (std::holds_alternative<Ping>(edit.op)) {
        s = normalise_ping(s);
        k = normalise_ping(k);
    } else if (show && show->what == ShowWhat::ip_neigh) {
        const std::vector<std::string> none;
        const auto& unsettled = opt.strict ? none : sim.unsettled;
        s = normalise_neigh(s, unsettled);
        k = normalise_neigh(k, unsettled);
    } else if (show && (show->what == ShowWhat::ip_link || show->what == ShowWhat::ip_addr)) {
        s = normalise_link(s, opt.strict);
        k = normalise_link(k, opt.strict);
    } else if (show && show->what == ShowWhat::bridge_fdb) {
        s = normalise_fdb(s);
        k = normalise_fdb(k);
    } else {
        s = mask_macs(s);
        k = mask_macs(k);
    }
    if (s != k) return Mismatch{"output", s, k};
    if (sim.status != kernel.status)
        return Mismatch{"exit status", std::to_string(sim.status), std::to_string(kernel.status)};
    return std::nullopt;
}

}  // namespace vethlab::analysis
