#pragma once
// The host-wide state of the ARP (neighbour) table, read-only: its entries and
// table_fulls (/proc/net/stat/arp_cache, summed over CPUs) and gc_thresh3, the hard
// limit every namespace shares (settable only in the initial namespace). When a
// verify makes more neighbour entries than that, the kernel refuses new ones
// (table_fulls grows) and probes fail for reasons no topology explains.
#include <cstdint>
#include <optional>

namespace vethlab::backend {

struct NeighTableStats {
    uint64_t entries = 0;
    uint64_t table_fulls = 0;
};

std::optional<NeighTableStats> arp_table_stats();
std::optional<uint64_t> arp_gc_thresh3();

}  // namespace vethlab::backend
