#pragma once
// Ethernet (MAC) addresses.
#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace vethlab {

class Mac {
public:
    constexpr Mac() = default;
    constexpr explicit Mac(std::array<uint8_t, 6> bytes) : b_(bytes) {}

    // "02:00:00:00:00:01" (case-insensitive). Multicast addresses are refused, as the
    // kernel refuses them for a device: "Cannot assign requested address".
    static Result<Mac> parse(std::string_view text);
    // A locally administered unicast address derived from a number (deterministic).
    static Mac local(uint64_t n);

    constexpr const std::array<uint8_t, 6>& bytes() const { return b_; }
    constexpr bool is_zero() const { return b_ == std::array<uint8_t, 6>{}; }
    constexpr bool is_multicast() const { return b_[0] & 1; }
    std::string str() const;

    constexpr auto operator<=>(const Mac&) const = default;

private:
    std::array<uint8_t, 6> b_{};
};

}  // namespace vethlab
