#include "kernel_lab.hpp"

#include <unistd.h>

#include <atomic>
#include <sstream>

#include "backend/privileges.hpp"

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

}  // namespace vethlab::testing
