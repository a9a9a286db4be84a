#include "kernel_state.hpp"

#include <algorithm>
#include <regex>
#include <sstream>
#include <vector>

namespace vethlab::testing {
namespace {

// Interface blocks (a line "N: name..." and its indented lines), sorted by name.
std::string sorted_blocks(const std::string& text) {
    std::vector<std::string> blocks;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != ' ') blocks.emplace_back();
        if (blocks.empty()) blocks.emplace_back();
        blocks.back() += line + "\n";
    }
    std::sort(blocks.begin(), blocks.end());
    std::string out;
    for (const auto& b : blocks) out += b;
    return out;
}

std::string normalized(const KernelLab& lab, std::string text) {
    static const std::regex mac("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    static const std::regex index("^[0-9]+: ", std::regex::multiline);
    static const std::regex peer_index("@if[0-9]+");
    static const std::regex link_local("fe80::[0-9a-f:]+");
    static const std::regex tentative(" tentative");
    // A bridge's id is its MAC (random when the kernel made it up), printed without leading
    // zeros; its timers run on the wall clock.
    static const std::regex bridge_id("[0-9a-f]{4}\\.[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}");
    static const std::regex timer("_timer +[0-9]+\\.[0-9]+");
    text = std::regex_replace(lab.unlocalize(text), bridge_id, "BRIDGE_ID");
    std::string masked;
    std::sregex_iterator it(text.begin(), text.end(), mac), end;
    size_t pos = 0;
    for (; it != end; ++it) {
        masked += text.substr(pos, size_t(it->position()) - pos);
        const std::string m = it->str();
        masked += (m == "ff:ff:ff:ff:ff:ff" || m == "00:00:00:00:00:00" || m.rfind("02:00:00", 0) == 0) ? m : "MAC";
        pos = size_t(it->position() + it->length());
    }
    masked += text.substr(pos);
    masked = std::regex_replace(masked, index, "");
    masked = std::regex_replace(masked, peer_index, "@if");
    masked = std::regex_replace(masked, link_local, "fe80::LL");
    masked = std::regex_replace(masked, timer, "_timer T");
    return std::regex_replace(masked, tentative, "");
}

}  // namespace

std::string kernel_state(const KernelLab& lab, const std::string& ns) {
    const std::string n = lab.real(ns);
    return "links\n" + sorted_blocks(normalized(lab, run_shell("ip -n " + n + " -d link show").out)) + "addresses\n" +
           sorted_blocks(normalized(lab, run_shell("ip -n " + n + " -4 addr show").out)) + "routes\n" +
           normalized(lab, run_shell("ip -n " + n + " -4 route show table all").out);
}

std::pair<std::string, std::string> settled_states(const KernelLab& a, const KernelLab& b, const std::string& ns) {
    std::pair<std::string, std::string> out;
    for (int attempt = 0; attempt < 40; ++attempt) {
        out = {kernel_state(a, ns), kernel_state(b, ns)};
        if (out.first == out.second) return out;
        run_shell("sleep 0.1");
    }
    return out;
}

}  // namespace vethlab::testing
