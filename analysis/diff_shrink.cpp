#include "analysis/diff_shrink.hpp"

#include <sstream>
#include <vector>

namespace vethlab::analysis {
namespace {

std::string join(const std::string& head, const std::vector<std::string>& lines) {
    std::string out = head;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace

ShrinkResult shrink_script(const std::string& script, const std::function<bool(const std::string&)>& still_fails,
                           int max_runs) {
    std::string head;
    std::vector<std::string> lines;
    std::istringstream in(script);
    for (std::string l; std::getline(in, l);) {
        if (lines.empty() && (l.empty() || l[0] == '#')) head += l + "\n";
        else if (!l.empty()) lines.push_back(l);
    }
    ShrinkResult r{script, 0};
    size_t n = 2;  // ddmin: try dropping each of n chunks; on success keep the complement
    while (lines.size() >= 2 && r.runs < max_runs) {
        const size_t chunk = (lines.size() + n - 1) / n;
        bool reduced = false;
        for (size_t start = 0; start < lines.size() && r.runs < max_runs; start += chunk) {
            std::vector<std::string> rest(lines.begin(), lines.begin() + long(start));
            rest.insert(rest.end(), lines.begin() + long(std::min(lines.size(), start + chunk)), lines.end());
            ++r.runs;
            if (!rest.empty() && still_fails(join(head, rest))) {
                lines = std::move(rest);
                n = std::max<size_t>(n - 1, 2);
                reduced = true;
                break;
            }
        }
        if (reduced) continue;
        if (n >= lines.size()) break;  // single lines tried: 1-minimal
        n = std::min(lines.size(), n * 2);
    }
    r.script = join(head, lines);
    return r;
}

}  // namespace vethlab::analysis
