#include "backend/neigh_stats.hpp"

#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vethlab::backend {

std::optional<NeighTableStats> arp_table_stats() {
    std::ifstream in("/proc/net/stat/arp_cache");
    std::string header;
    if (!std::getline(in, header)) return std::nullopt;
    std::vector<std::string> names;
    std::istringstream h(header);
    for (std::string w; h >> w;) names.push_back(w);
    NeighTableStats s;
    bool first = true;
    for (std::string line; std::getline(in, line); first = false) {
        std::istringstream l(line);
        for (size_t i = 0; i < names.size(); ++i) {
            std::string hex;
            if (!(l >> hex)) break;
            uint64_t v = 0;
            try {
                v = std::stoull(hex, nullptr, 16);
            } catch (const std::exception&) {
                return std::nullopt;
            }
            // "entries" is the table's count, repeated on every CPU's line.
            if (names[i] == "entries" && first) s.entries = v;
            if (names[i] == "table_fulls") s.table_fulls += v;
        }
    }
    return s;
}

std::optional<uint64_t> arp_gc_thresh3() {
    std::ifstream in("/proc/sys/net/ipv4/neigh/default/gc_thresh3");
    uint64_t v = 0;
    if (!(in >> v)) return std::nullopt;
    return v;
}

}  // namespace vethlab::backend
