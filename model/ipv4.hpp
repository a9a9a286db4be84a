#pragma once
// IPv4 values: an address, a prefix (network/len, host bits zero) and an interface
// address (local/len, host bits allowed), parsed and printed as iproute2 does.
#include <compare>
#include <optional>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/result.hpp"

namespace vethlab {

class Ipv4 {
public:
    constexpr Ipv4() = default;
    constexpr explicit Ipv4(uint32_t host_order) : v_(host_order) {}
    constexpr Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
        : v_((uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | d) {}

    // Dotted quad only ("10.0.0.1"); "10.0.0.300" and "10.0.0" are errors.
    static Result<Ipv4> parse(std::string_view text);

    constexpr uint32_t value() const { return v_; }
    constexpr bool is_zero() const { return v_ == 0; }
    constexpr bool is_loopback() const { return (v_ >> 24) == 127; }
    constexpr bool is_multicast() const { return (v_ >> 28) == 0xe; }
    constexpr bool is_limited_broadcast() const { return v_ == 0xffffffffu; }
    std::string str() const;

    constexpr auto operator<=>(const Ipv4&) const = default;

private:
    uint32_t v_ = 0;
};

constexpr uint32_t prefix_mask(int len) { return len <= 0 ? 0u : (len >= 32 ? ~0u : ~0u << (32 - len)); }

// A network: host bits are zero. `default` and `0/0` parse to 0.0.0.0/0.
class Prefix {
public:
    constexpr Prefix() = default;
    constexpr Prefix(Ipv4 network, int len) : net_(network.value() & prefix_mask(len)), len_(uint8_t(len)) {}

    // "10.0.0.0/24", "10.0.0.1" (= /32), "default". With host bits set it fails with
    // the kernel's words: "Invalid prefix for given prefix length."
    static Result<Prefix> parse(std::string_view text);

    constexpr Ipv4 network() const { return net_; }
    constexpr int len() const { return len_; }
    constexpr uint32_t mask() const { return prefix_mask(len_); }
    constexpr Ipv4 netmask() const { return Ipv4(mask()); }
    constexpr Ipv4 last() const { return Ipv4(net_.value() | ~mask()); }
    constexpr bool is_default() const { return len_ == 0; }
    constexpr bool contains(Ipv4 a) const { return (a.value() & mask()) == net_.value(); }
    constexpr bool overlaps(const Prefix& o) const {
        const int l = len_ < o.len_ ? len_ : o.len_;
        return (net_.value() & prefix_mask(l)) == (o.net_.value() & prefix_mask(l));
    }
    std::string str() const;  // "default" for 0/0, "a.b.c.d" for /32, else "a.b.c.d/n"

    constexpr auto operator<=>(const Prefix&) const = default;

private:
    Ipv4 net_;
    uint8_t len_ = 0;
};

// An address assigned to an interface: "10.0.0.1/24" (host bits kept; no length = /32).
class IfAddr {
public:
    constexpr IfAddr() = default;
    constexpr IfAddr(Ipv4 local, int len) : local_(local), len_(uint8_t(len)) {}

    static Result<IfAddr> parse(std::string_view text);

    constexpr Ipv4 local() const { return local_; }
    constexpr int len() const { return len_; }
    constexpr Prefix prefix() const { return Prefix(local_, len_); }
    constexpr Ipv4 broadcast() const { return prefix().last(); }
    std::string str() const;  // always "a.b.c.d/n"

    constexpr auto operator<=>(const IfAddr&) const = default;

private:
    Ipv4 local_;
    uint8_t len_ = 32;
};

// The broadcast iproute2 asks for: "+" (host part all ones), "-" (all zeros; both only for
// prefixes of 30 bits or less, else none) or an address. An error for anything else.
Result<std::optional<Ipv4>> parse_broadcast(std::string_view text, const IfAddr& addr);

}  // namespace vethlab
