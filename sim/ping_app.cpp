#include "sim/ping_app.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

namespace vethlab::sim {
namespace {

std::string describe_error(const Icmp& icmp) {
    if (icmp.type == IcmpType::time_exceeded) return "Time to live exceeded";
    if (icmp.type == IcmpType::redirect) {  // pr_icmph
        static const char* const kinds[] = {"Redirect Network", "Redirect Host", "Redirect Type of Service and Network",
                                            "Redirect Type of Service and Host"};
        const std::string kind =
            icmp.code < 4 ? kinds[icmp.code] : "Redirect, Bad Code: " + std::to_string(icmp.code);
        return kind + "(New nexthop: " + icmp.gateway.str() + ")";
    }
    switch (UnreachCode(icmp.code)) {
        case UnreachCode::net: return "Destination Net Unreachable";
        case UnreachCode::host: return "Destination Host Unreachable";
        case UnreachCode::protocol: return "Destination Protocol Unreachable";
        case UnreachCode::port: return "Destination Port Unreachable";
        case UnreachCode::filtered: return "Packet filtered";
    }
    return "Dest Unreachable, Bad Code: " + std::to_string(icmp.code);
}

Time seconds(double s) { return Time(std::llround(s * double(kSecond))); }

struct Session {
    PingRun run;
    int count = 0;
    int received = 0, errors = 0;
    Time start = 0, last_send = 0;
    bool finished = false;

    bool all_answered() const { return run.transmitted == count && received + errors >= count; }
};

}  // namespace

// Events outlive this call (a linger timer, probes after a deadline): they share the
// session, never this stack frame.
PingRun run_ping(Kernel& kernel, const Ping& p, const NetState& state) {
    static uint16_t next_id = 0x4000;
    auto s = std::make_shared<Session>();
    s->run.dst = p.dst;
    s->run.quiet = p.quiet;
    // -I takes a source address (bind) or a device (SO_BINDTODEVICE).
    int oif = 0;
    std::optional<Ipv4> bound_src;
    if (p.iface) {
        const Namespace* n = state.ns(p.ns);
        if (auto a = Ipv4::parse(*p.iface)) {
            if (!n || !n->has_local_address(*a)) {
                s->run.fatal = "ping: bind: Cannot assign requested address";
                return s->run;
            }
            bound_src = *a;
        } else {
            const Link* l = n ? n->link(*p.iface) : nullptr;
            oif = l ? l->ifindex : 0;
        }
    }
    auto route = kernel.route_output(p.ns, p.dst, oif);
    if (!route) {
        // iputils reads EACCES (a prohibit route) as a forgotten -b.
        s->run.fatal = route.error() == "Permission denied"
                           ? "ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules"
                           : "ping: connect: " + route.error();
        return s->run;
    }
    if (bound_src) route.value().src = *bound_src;
    if (p.iface) s->run.from = fmt::format("from {} {}: ", route->src.str(), bound_src ? "" : *p.iface);
    // The parsers refuse a ping beyond kPingMaxProbes or a day; one built otherwise is cut.
    s->count = int(std::min(p.probes(), double(kPingMaxProbes)));
    const double span = std::min(p.max_seconds(), kMaxCommandSeconds);
    const uint16_t id = next_id++;
    s->start = kernel.now();
    kernel.bind_icmp(p.ns, id, [s, &kernel](const Ipv4Packet& pkt) {
        const bool reply = pkt.icmp.type == IcmpType::echo_reply;
        const int seq = reply ? pkt.icmp.seq : pkt.icmp.quoted->seq;
        if (pkt.icmp.type == IcmpType::redirect) {  // printed, not an answer
            PingError e{seq, pkt.src, describe_error(pkt.icmp)};
            e.redirect = true;
            s->run.events.push_back(std::move(e));
            return;
        }
        s->run.max_outstanding = std::max(s->run.max_outstanding, s->run.transmitted - seq + 1);
        if (reply) {
            s->run.events.push_back(PingReply{seq, pkt.ttl, double(kernel.now() - pkt.sent_at) / kMillisecond, pkt.src});
            ++s->received;
        } else {
            s->run.events.push_back(PingError{seq, pkt.src, describe_error(pkt.icmp)});
            ++s->errors;
        }
        if (s->all_answered()) s->finished = true;
    });
    const Time interval = seconds(std::min(p.interval, kMaxCommandSeconds));
    const std::string ns = p.ns;
    const Ipv4Packet probe{route->src, p.dst, uint8_t(p.ttl.value_or(64)), Icmp{IcmpType::echo_request, 0, id, 0, {}}, 0};
    const OutputRoute out = *route;
    const Time span_ns = seconds(span);  // i * interval <= kPingMaxProbes days: no overflow
    for (int i = 0; i < s->count && Time(i) * interval <= span_ns; ++i) {
        kernel.queue().at(s->start + i * interval, [s, &kernel, ns, probe, out, i] {
            if (s->finished) return;
            Ipv4Packet pkt = probe;
            pkt.icmp.seq = uint16_t(i + 1);
            pkt.sent_at = kernel.now();
            ++s->run.transmitted;  // counted before it leaves: a reply may come back at once
            s->last_send = kernel.now();
            kernel.send(ns, pkt, out);
        });
    }
    const Time end = s->start + span_ns;
    kernel.queue().at(end, [s] { s->finished = true; });
    kernel.queue().run_while([s] { return !s->finished; });
    kernel.unbind_icmp(p.ns, id);
    s->run.elapsed_ms = double(s->last_send - s->start) / kMillisecond;
    return s->run;
}

}  // namespace vethlab::sim
