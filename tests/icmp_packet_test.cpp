// The prober's ICMP, built and read by hand: echo requests with a valid checksum; what
// a raw socket hands over -- an echo reply, or an error quoting our request -- matched
// back to the request by id and sequence.
#include <catch2/catch.hpp>

#include <tuple>

#include "backend/icmp_packet.hpp"
#include "model/probe_outcome.hpp"

using namespace vethlab;
using namespace vethlab::backend;

namespace {

// An IPv4 header (20 bytes, protocol ICMP) from src to dst, then the payload.
std::vector<uint8_t> ip_packet(Ipv4 src, Ipv4 dst, const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> p(20, 0);
    p[0] = 0x45;
    p[8] = 64;
    p[9] = 1;
    for (int i = 0; i < 4; ++i) {
        p[12 + i] = uint8_t(src.value() >> (24 - 8 * i));
        p[16 + i] = uint8_t(dst.value() >> (24 - 8 * i));
    }
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

const Ipv4 kA(10, 0, 0, 1), kB(10, 0, 0, 2), kRouter(10, 1, 0, 254);

}  // namespace

TEST_CASE("icmp: an echo request sums to zero with its checksum, and carries id and sequence", "[icmp]") {
    const auto req = echo_request(0x1234, 0xbeef);
    CHECK(req.size() == 64);
    CHECK(req[0] == kIcmpEchoRequest);
    CHECK(inet_checksum(req) == 0);
    CHECK((req[4] << 8 | req[5]) == 0x1234);
    CHECK((req[6] << 8 | req[7]) == 0xbeef);
    CHECK(inet_checksum(echo_request(1, 2, 3)) == 0);  // odd length
}

TEST_CASE("icmp: an echo reply is matched by its own id and sequence", "[icmp]") {
    auto reply = echo_request(7, 9);
    reply[0] = kIcmpEchoReply;
    const auto seen = parse_icmp(ip_packet(kB, kA, reply));
    REQUIRE(seen);
    CHECK(seen->from == kB);
    CHECK(seen->echo_dst == kB);
    CHECK(seen->id == 7);
    CHECK(seen->seq == 9);
    CHECK(outcome_of_icmp(seen->type, seen->code) == ProbeOutcome::reply);
}

TEST_CASE("icmp: an error is matched through the request it quotes", "[icmp]") {
    const auto quoted = ip_packet(kA, kB, echo_request(7, 9));
    for (auto [type, code, outcome] : {std::tuple{3, 1, ProbeOutcome::host_unreachable},
                                       std::tuple{3, 0, ProbeOutcome::net_unreachable},
                                       std::tuple{3, 13, ProbeOutcome::prohibited},
                                       std::tuple{11, 0, ProbeOutcome::ttl_exceeded}}) {
        std::vector<uint8_t> err = {uint8_t(type), uint8_t(code), 0, 0, 0, 0, 0, 0};
        err.insert(err.end(), quoted.begin(), quoted.begin() + 28);  // header + 8 bytes, as the kernel quotes
        const auto seen = parse_icmp(ip_packet(kRouter, kA, err));
        REQUIRE(seen);
        CHECK(seen->from == kRouter);
        CHECK(seen->echo_dst == kB);
        CHECK(seen->id == 7);
        CHECK(seen->seq == 9);
        CHECK(outcome_of_icmp(seen->type, seen->code) == outcome);
    }
}

TEST_CASE("icmp: what is not about our echoes is ignored", "[icmp]") {
    CHECK(!parse_icmp(ip_packet(kB, kA, echo_request(7, 9))));  // someone's request passing by
    CHECK(!parse_icmp(std::vector<uint8_t>(10, 0x45)));        // truncated
    std::vector<uint8_t> err = {3, 1, 0, 0, 0, 0, 0, 0};
    auto udp = ip_packet(kA, kB, std::vector<uint8_t>(8, 0));
    udp[9] = 17;
    err.insert(err.end(), udp.begin(), udp.end());
    CHECK(!parse_icmp(ip_packet(kRouter, kA, err)));  // an error about UDP
    std::vector<uint8_t> cut = {3, 1, 0, 0, 0, 0, 0, 0};
    const auto quoted = ip_packet(kA, kB, echo_request(7, 9));
    cut.insert(cut.end(), quoted.begin(), quoted.begin() + 24);  // our request, cut inside its ICMP header
    CHECK(!parse_icmp(ip_packet(kRouter, kA, cut)));
}
