#include "kernel_lab.hpp"

#include <unistd.h>

#include <atomic>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "backend/privileges.hpp"
#include "model/ip_writer.hpp"
#include "sim/route_printer.hpp"

namespace vethlab::testing {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

}  // namespace

std::optional<std::string> kernel_unavailable() {
    if (auto missing = backend::missing_privileges()) return "kernel test skipped: " + *missing;
    if (run_shell("command -v ip >/dev/null").status != 0) return "kernel test skipped: iproute2 (ip) is not installed";
    return std::nullopt;
}

namespace {

// A test process that crashed (a signal skips destructors) leaves its labs behind:
// remove namespaces named "vl<pid>-<n>-..." whose process no longer exists.
void remove_orphans() {
    std::istringstream in(run_shell("ip netns list").out);
    std::string name, rest;
    while (in >> name) {
        std::getline(in, rest);
        if (name.rfind("vl", 0) != 0) continue;
        const auto dash = name.find('-');
        const std::string pid = name.substr(2, dash == std::string::npos ? 0 : dash - 2);
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
        if (access(("/proc/" + pid).c_str(), F_OK) == 0) continue;  // still running: not ours to touch
        run_shell("ip netns del '" + name + "'");
    }
}

}  // namespace

KernelLab::KernelLab() {
    static std::atomic<int> counter{0};
    static const bool swept = (remove_orphans(), true);
    (void)swept;
    prefix_ = "vl" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-";
}

KernelLab::~KernelLab() {
    for (const auto& ns : namespaces()) run_shell("ip netns del '" + ns + "'");
}

std::vector<std::string> KernelLab::namespaces() const {
    std::vector<std::string> out;
    std::istringstream in(run_shell("ip netns list").out);
    std::string name, rest;
    while (in >> name) {
        std::getline(in, rest);
        if (name.rfind(prefix_, 0) == 0) out.push_back(name);
    }
    return out;
}

bool KernelLab::localize(EditOp& op) const {
    bool host = false;
    auto fix = [&](std::string& ns) {
        if (ns.empty()) host = true;
        else ns = prefix_ + ns;
    };
    auto fix_opt = [&](std::optional<std::string>& ns) {
        if (ns) fix(*ns);
    };
    std::visit(
        [&](auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, NetnsAdd> || std::is_same_v<T, NetnsDel>) {
                e.name = prefix_ + e.name;
            } else {
                fix(e.ns);
                if constexpr (std::is_same_v<T, LinkAdd>) {
                    fix_opt(e.netns);
                    fix_opt(e.peer_netns);
                }
                if constexpr (std::is_same_v<T, LinkSet>) fix_opt(e.netns);
            }
        },
        op);
    return !host;
}

std::string KernelLab::unlocalize(std::string text) const {
    replace_all(text, prefix_, "");
    return text;
}

void apply_on_both(const KernelLab& lab, NetState& st, const Edit& edit) {
    EditOp real = edit.op;
    REQUIRE(lab.localize(real));  // never the host namespace
    const auto model = st.apply(edit.op);
    const auto r = run_shell(format_command(real));
    std::string err = lab.unlocalize(r.err);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    INFO("line " << edit.loc.line << ": " << edit.text);
    CHECK(model.value_or("<accepted>") == (r.status == 0 ? std::string("<accepted>") : err));
}

void wait_for_kernel(const KernelLab& lab, const NetState& st) {
    for (int attempt = 0; attempt < 40; ++attempt) {
        bool settled = true;
        for (const auto& [name, ns] : st.namespaces()) {
            if (name.empty()) continue;
            const std::string out = run_shell("ip -n " + lab.real(name) + " -o link").out;
            for (const auto& l : ns.links) {
                const auto at = out.find(": " + l.name + (l.kind == LinkKind::veth ? "@" : ":"));
                const auto flags_end = out.find('>', at);
                const bool lower_up =
                    at != std::string::npos && out.substr(at, flags_end - at).find("LOWER_UP") != std::string::npos;
                settled = settled && lower_up == st.carrier(ns, l);
            }
            const std::string routes = run_shell("ip -n " + lab.real(name) + " route show table main").out;
            settled = settled && lab.unlocalize(routes) == sim::format_ip_route(st, ns);
        }
        if (settled) return;
        run_shell("sleep 0.1");
    }
    // Still different after 4 s: the callers' own comparisons will show how.
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

}  // namespace vethlab::testing
