#include "backend/meminfo.hpp"

#include <fstream>
#include <sstream>

namespace vethlab::backend {

std::map<std::string, uint64_t> parse_meminfo(const std::string& text) {
    std::map<std::string, uint64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::istringstream value(line.substr(colon + 1));
        uint64_t v = 0;
        if (value >> v) out[line.substr(0, colon)] = v;
    }
    return out;
}

MemInfo meminfo_from(const std::map<std::string, uint64_t>& f) {
    auto get = [&](const char* key) {
        const auto it = f.find(key);
        return it == f.end() ? uint64_t(0) : it->second;
    };
    MemInfo m;
    m.total_kib = get("MemTotal");
    m.available_kib = get("MemAvailable");
    m.slab_kib = get("Slab");
    m.percpu_kib = get("Percpu");
    m.vmalloc_kib = get("VmallocUsed");
    return m;
}

std::optional<MemInfo> read_meminfo() {
    std::ifstream in("/proc/meminfo");
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    const auto fields = parse_meminfo(text.str());
    if (!fields.count("MemTotal")) return std::nullopt;
    return meminfo_from(fields);
}

}  // namespace vethlab::backend
