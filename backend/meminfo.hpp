#pragma once
// The kernel's memory as /proc/meminfo reports it, for measuring what namespaces and
// links cost, and for checking that a topology fits before building it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace vethlab::backend {

// Every "Key: value kB" line, in KiB (lines without a unit, e.g. HugePages_Total, as is).
std::map<std::string, uint64_t> parse_meminfo(const std::string& text);

struct MemInfo {
    uint64_t total_kib = 0;
    uint64_t available_kib = 0;
    // What network objects allocate: slab (net_device, sk_buff heads, fib nodes...),
    // per-CPU counters and vmalloc'ed tables.
    uint64_t slab_kib = 0, percpu_kib = 0, vmalloc_kib = 0;
    uint64_t kernel_kib() const { return slab_kib + percpu_kib + vmalloc_kib; }
};

MemInfo meminfo_from(const std::map<std::string, uint64_t>& fields);
std::optional<MemInfo> read_meminfo();  // nullopt when /proc/meminfo cannot be read

}  // namespace vethlab::backend
