#include "analysis/addressing.hpp"

#include <fmt/format.h>

namespace vethlab::analysis {

Result<SubnetPlan> SubnetPlan::make(Prefix pool, int len, uint64_t needed) {
    if (len != 30 && len != 31) return Error{fmt::format("subnet length /{} is not /30 or /31", len)};
    if (pool.len() > len)
        return Error{fmt::format("prefix {} is smaller than one /{}", pool.str(), len)};
    SubnetPlan plan(pool, len);
    if (needed > plan.capacity())
        return Error{fmt::format("prefix {} holds {} /{} subnets; {} are needed", pool.str(), plan.capacity(), len,
                                 needed)};
    return plan;
}

uint64_t SubnetPlan::capacity() const { return uint64_t(1) << (len_ - pool_.len()); }

Prefix SubnetPlan::subnet(uint64_t k) const {
    return Prefix(Ipv4(uint32_t(pool_.network().value() + (k << (32 - len_)))), len_);
}

IfAddr SubnetPlan::end_a(uint64_t k) const {
    return IfAddr(Ipv4(subnet(k).network().value() + (len_ == 30 ? 1 : 0)), len_);
}

IfAddr SubnetPlan::end_b(uint64_t k) const {
    return IfAddr(Ipv4(subnet(k).network().value() + (len_ == 30 ? 2 : 1)), len_);
}

std::vector<Prefix> SubnetPlan::cover(uint64_t first, uint64_t last) const {
    if (first > last) return {};
    return cidr_cover(subnet(first).network().value(), subnet(last).last().value());
}

std::vector<Prefix> cidr_cover(uint32_t lo, uint32_t hi) {
    std::vector<Prefix> out;
    uint64_t a = lo;
    const uint64_t end = uint64_t(hi) + 1;
    while (a < end) {
        int len = 32;  // the largest block aligned at a that ends by hi
        while (len > 0) {
            const uint64_t size = uint64_t(1) << (32 - (len - 1));
            if (a % size != 0 || a + size > end) break;
            --len;
        }
        out.emplace_back(Ipv4(uint32_t(a)), len);
        a += uint64_t(1) << (32 - len);
    }
    return out;
}

}  // namespace vethlab::analysis
