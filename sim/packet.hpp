#pragma once
// What travels: Ethernet frames carrying ARP or IPv4/ICMP.
#include <cstdint>
#include <optional>
#include <variant>

#include "model/ipv4.hpp"
#include "model/mac.hpp"

namespace vethlab::sim {

enum class IcmpType : uint8_t { echo_reply = 0, dest_unreach = 3, redirect = 5, echo_request = 8, time_exceeded = 11 };
// Destination-unreachable codes (RFC 792 / 1812).
enum class UnreachCode : uint8_t { net = 0, host = 1, protocol = 2, port = 3, filtered = 13 };

// An ICMP error quotes the header of the packet it is about; ping matches on it.
struct Quoted {
    Ipv4 src, dst;
    uint16_t id = 0, seq = 0;
};

struct Icmp {
    IcmpType type = IcmpType::echo_request;
    uint8_t code = 0;
    uint16_t id = 0, seq = 0;
    std::optional<Quoted> quoted;  // errors only
    Ipv4 gateway;                  // a redirect's new next hop
};

struct Ipv4Packet {
    Ipv4 src, dst;
    uint8_t ttl = 64;
    Icmp icmp;
    int64_t sent_at = 0;  // virtual time the echo request left the sender (for rtt)
};

struct Arp {
    bool request = true;
    Mac sha;
    Ipv4 spa;
    Mac tha;
    Ipv4 tpa;
};

inline constexpr Mac kBroadcastMac{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

struct Frame {
    Mac src, dst;
    std::variant<Arp, Ipv4Packet> payload;
};

}  // namespace vethlab::sim
