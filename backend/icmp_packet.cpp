#include "backend/icmp_packet.hpp"

namespace vethlab::backend {
namespace {

uint16_t be16(std::span<const uint8_t> b, size_t at) { return uint16_t(b[at] << 8 | b[at + 1]); }
Ipv4 be32(std::span<const uint8_t> b, size_t at) {
    return Ipv4(uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3]);
}

// The IP header's length, if `b` starts with a whole IPv4 header carrying ICMP.
std::optional<size_t> icmp_offset(std::span<const uint8_t> b) {
    if (b.size() < 20 || (b[0] >> 4) != 4) return std::nullopt;
    const size_t ihl = size_t(b[0] & 0x0f) * 4;
    if (ihl < 20 || b.size() < ihl + 8 || b[9] != 1) return std::nullopt;
    return ihl;
}

}  // namespace

uint16_t inet_checksum(std::span<const uint8_t> bytes) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) sum += uint32_t(bytes[i] << 8 | bytes[i + 1]);
    if (bytes.size() % 2) sum += uint32_t(bytes.back() << 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(~sum);
}

std::vector<uint8_t> echo_request(uint16_t id, uint16_t seq, size_t payload) {
    std::vector<uint8_t> p(8 + payload, 0);
    p[0] = kIcmpEchoRequest;
    p[4] = uint8_t(id >> 8);
    p[5] = uint8_t(id);
    p[6] = uint8_t(seq >> 8);
    p[7] = uint8_t(seq);
    for (size_t i = 0; i < payload; ++i) p[8 + i] = uint8_t(0x10 + i);  // ping's pattern after its timestamp
    const uint16_t sum = inet_checksum(p);
    p[2] = uint8_t(sum >> 8);
    p[3] = uint8_t(sum);
    return p;
}

std::optional<IcmpSeen> parse_icmp(std::span<const uint8_t> b) {
    const auto at = icmp_offset(b);
    if (!at) return std::nullopt;
    IcmpSeen s;
    s.from = be32(b, 12);
    s.type = b[*at];
    s.code = b[*at + 1];
    if (s.type == kIcmpEchoReply) {
        s.id = be16(b, *at + 4);
        s.seq = be16(b, *at + 6);
        s.echo_dst = s.from;
        return s;
    }
    if (s.type != kIcmpDestUnreach && s.type != kIcmpTimeExceeded) return std::nullopt;
    const auto quoted = b.subspan(*at + 8);
    const auto inner = icmp_offset(quoted);
    if (!inner || quoted[*inner] != kIcmpEchoRequest) return std::nullopt;
    s.id = be16(quoted, *inner + 4);
    s.seq = be16(quoted, *inner + 6);
    s.echo_dst = be32(quoted, 16);
    return s;
}

}  // namespace vethlab::backend
