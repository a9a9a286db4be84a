#pragma once
// ICMP on the wire, built and read by hand (no <linux/icmp.h>, which clashes with the
// netinet headers): echo requests to send on a raw socket, and what a raw IPv4 ICMP
// socket receives -- the IP header, then an echo reply or an error quoting the IP
// header and first 8 bytes of the packet it is about (our echo: its id and sequence).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/ipv4.hpp"

namespace vethlab::backend {

inline constexpr uint8_t kIcmpEchoReply = 0, kIcmpDestUnreach = 3, kIcmpEchoRequest = 8, kIcmpTimeExceeded = 11;

// RFC 1071 one's-complement sum of 16-bit words.
uint16_t inet_checksum(std::span<const uint8_t> bytes);

// An echo request (ICMP header and `payload` bytes, like ping's 56), checksummed.
std::vector<uint8_t> echo_request(uint16_t id, uint16_t seq, size_t payload = 56);

// An ICMP message as a raw socket hands it over, about one of our echoes.
struct IcmpSeen {
    Ipv4 from;         // the sender of this message (the replier, or who sent the error)
    uint8_t type = 0, code = 0;
    uint16_t id = 0, seq = 0;  // of the echo: this reply's, or the quoted request's
    Ipv4 echo_dst;     // replies: from; errors: the quoted request's destination
};

// nullopt for anything that is not an echo reply or an error about an echo request
// (echo requests passing by, truncated packets, other protocols quoted).
std::optional<IcmpSeen> parse_icmp(std::span<const uint8_t> ip_packet);

}  // namespace vethlab::backend
