#include "backend/privileges.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace vethlab::backend {
namespace {

constexpr int kCapNetAdmin = 12;
constexpr int kCapSysAdmin = 21;

// CapEff from /proc/self/status: the effective capability mask.
unsigned long long effective_caps() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("CapEff:", 0) == 0) return std::stoull(line.substr(7), nullptr, 16);
    }
    return 0;
}

}  // namespace

std::optional<std::string> missing_privileges() {
    const auto caps = effective_caps();
    const bool net = caps & (1ULL << kCapNetAdmin);
    const bool sys = caps & (1ULL << kCapSysAdmin);
    if (net && sys) return std::nullopt;
    std::string what = !net && !sys ? "CAP_NET_ADMIN and CAP_SYS_ADMIN" : (!net ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN");
    return "needs " + what + " (run as root, e.g. with sudo)";
}

}  // namespace vethlab::backend
