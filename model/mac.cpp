#include "model/mac.hpp"

#include <fmt/format.h>

namespace vethlab {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

Result<Mac> Mac::parse(std::string_view text) {
    std::array<uint8_t, 6> b{};
    const auto bad = Error{"invalid MAC address '" + std::string(text) + "' (expected xx:xx:xx:xx:xx:xx)"};
    if (text.size() != 17) return bad;
    for (int i = 0; i < 6; ++i) {
        const int hi = hex_digit(text[i * 3]);
        const int lo = hex_digit(text[i * 3 + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != ':')) return bad;
        b[i] = uint8_t(hi * 16 + lo);
    }
    Mac mac(b);
    if (mac.is_multicast())
        return Error{"MAC address '" + std::string(text) + "' is multicast: Cannot assign requested address"};
    return mac;
}

Mac Mac::local(uint64_t n) {
    return Mac({0x02, uint8_t(n >> 32), uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
}

std::string Mac::str() const {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b_[0], b_[1], b_[2], b_[3], b_[4], b_[5]);
}

}  // namespace vethlab
