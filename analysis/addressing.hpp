#pragma once
// The addressing plan of a generated topology: veth pair k gets the k-th /30 (or /31) of a
// pool, its first usable address on end a and the next on end b; routes to a run of
// consecutive subnets are written as the fewest prefixes that cover exactly that run.
#include <cstdint>
#include <vector>

#include "model/ipv4.hpp"
#include "model/result.hpp"

namespace vethlab::analysis {

class SubnetPlan {
public:
    // len is 30 or 31. Fails when the pool cannot hold `needed` subnets.
    static Result<SubnetPlan> make(Prefix pool, int len, uint64_t needed);

    uint64_t capacity() const;       // subnets of this length in the pool
    Prefix subnet(uint64_t k) const;
    IfAddr end_a(uint64_t k) const;  // /30: .1, /31: .0
    IfAddr end_b(uint64_t k) const;  // /30: .2, /31: .1
    // The subnets first..last (inclusive) as the fewest prefixes covering exactly them.
    std::vector<Prefix> cover(uint64_t first, uint64_t last) const;

private:
    SubnetPlan(Prefix pool, int len) : pool_(pool), len_(len) {}
    Prefix pool_;
    int len_ = 30;
};

// The fewest prefixes whose union is exactly the addresses lo..hi (inclusive).
std::vector<Prefix> cidr_cover(uint32_t lo, uint32_t hi);

}  // namespace vethlab::analysis
