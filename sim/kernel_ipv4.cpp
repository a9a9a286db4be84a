// IPv4 and ICMP: ip_local_out, ip_rcv / ip_route_input_slow, ip_forward, local
// delivery through lo, icmp_rcv (echo) and icmp_send (errors), as net/ipv4 does them.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "sim/kernel.hpp"

namespace vethlab::sim {
namespace {

bool is_martian_source(Ipv4 a) { return a.is_multicast() || a.is_limited_broadcast() || a.is_zero() || a.is_loopback(); }

bool is_icmp_error(const Ipv4Packet& p) {
    return p.icmp.type == IcmpType::dest_unreach || p.icmp.type == IcmpType::time_exceeded ||
           p.icmp.type == IcmpType::redirect;
}

}  // namespace

void Kernel::bind_icmp(const std::string& ns, uint16_t id, std::function<void(const Ipv4Packet&)> deliver) {
    bind_icmp(id_of(ns), id, std::move(deliver));
}

void Kernel::bind_icmp(int ns, uint16_t id, std::function<void(const Ipv4Packet&)> deliver) {
    rt(ns).icmp_sockets[id] = std::move(deliver);
}

void Kernel::unbind_icmp(const std::string& ns, uint16_t id) { unbind_icmp(id_of(ns), id); }

void Kernel::unbind_icmp(int ns, uint16_t id) { rt(ns).icmp_sockets.erase(id); }

void Kernel::send(const std::string& ns, Ipv4Packet pkt, const OutputRoute& route) {
    if (const int id = ns_id(ns); id >= 0) send(id, std::move(pkt), route);
}

void Kernel::send(int ns, Ipv4Packet pkt, const OutputRoute& route) {
    if (pkt.src.is_zero()) pkt.src = route.src;
    if (route.local) {
        loopback(ns, std::move(pkt));
        return;
    }
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(route.oif) : nullptr;
    if (!dev) return;
    trace([&] {
        return fmt::format("{}: {} -> {} leaves through {}{}", name(ns), pkt.src.str(), pkt.dst.str(), dev->name,
                           route.nexthop == pkt.dst ? "" : " via " + route.nexthop.str());
    });
    neigh_output(ns, route.oif, route.nexthop, std::move(pkt));
}

void Kernel::loopback(int ns, Ipv4Packet pkt) {
    const Namespace* n = nsp(ns);
    const Link* lo = n ? n->link("lo") : nullptr;
    if (!lo || !lo->admin_up) {
        trace([&] {
            return fmt::format("{}: {} -> {} must go through lo, which is down: dropped", name(ns), pkt.src.str(),
                               pkt.dst.str());
        });
        return;
    }
    q_.after(kLoopDelay, [this, ns, pkt = std::move(pkt)] { local_deliver(ns, pkt); });
}

void Kernel::ip_rcv(int ns, const Link& dev, Ipv4Packet pkt, bool l2_broadcast) {
    if (pkt.dst.is_multicast() || pkt.dst.is_limited_broadcast()) return;
    if (is_martian_source(pkt.src) || pkt.dst.is_zero() || pkt.dst.is_loopback()) {
        trace([&] {
            return fmt::format("{}: martian packet {} -> {} on {} dropped", name(ns), pkt.src.str(), pkt.dst.str(),
                               dev.name);
        });
        return;
    }
    const Route* r = fib_lookup(ns, pkt.dst);
    const bool fwd = conf(ns, dev).forwarding != 0;
    if (r && r->type == RouteType::local) {
        if (!validate_source(ns, dev, pkt.src)) {
            trace([&] {
                return fmt::format("{}: {} from {} on {} fails the source check (rp_filter/martian): dropped", name(ns),
                                   pkt.dst.str(), pkt.src.str(), dev.name);
            });
            return;
        }
        local_deliver(ns, pkt);
        return;
    }
    if (r && r->type == RouteType::broadcast) return;  // icmp_echo_ignore_broadcasts
    if (!fwd) {
        trace([&] {
            return fmt::format("{}: {} -> {} is not ours and forwarding is off on {}: dropped", name(ns), pkt.src.str(),
                               pkt.dst.str(), dev.name);
        });
        return;
    }
    if (!r || r->type != RouteType::unicast) {
        const bool blackhole = r && r->type == RouteType::blackhole;
        trace([&] {
            return fmt::format("{}: no usable route to {} ({})", name(ns), pkt.dst.str(),
                               r ? to_string(r->type) : "no route");
        });
        if (blackhole) return;
        const UnreachCode code = !r ? UnreachCode::net
                                    : (r->type == RouteType::prohibit ? UnreachCode::filtered : UnreachCode::host);
        if (!ip_error_allows(ns, pkt.src)) {
            trace([&] {
                return fmt::format("{}: the unreachable error to {} is over ip_error's rate (1/s, burst 5): not sent",
                                   name(ns), pkt.src.str());
            });
            return;
        }
        icmp_send(ns, pkt, IcmpType::dest_unreach, uint8_t(code));
        return;
    }
    if (l2_broadcast) {  // ip_forward: only frames addressed to us (PACKET_HOST)
        trace([&] {
            return fmt::format("{}: {} -> {} came in a broadcast frame: not forwarded", name(ns), pkt.src.str(),
                               pkt.dst.str());
        });
        return;
    }
    // __mkroute_input: out the way it came in, with send_redirects on, the full source
    // check runs and says whether the sender is on this link; then ip_forward sends it a
    // redirect (shared_media, default 1 and not modelled otherwise, waives the onlink test).
    if (r->oif == dev.ifindex && conf(ns, dev).send_redirects) {
        const int v = validate_source_full(ns, dev, pkt.src);
        if (v < 0) {
            trace([&] {
                return fmt::format("{}: {} -> {} on {} fails the source check: dropped", name(ns), pkt.src.str(),
                                   pkt.dst.str(), dev.name);
            });
            return;
        }
        ip_forward(ns, dev, std::move(pkt), *r, v == 1);
        return;
    }
    if (!validate_source(ns, dev, pkt.src)) return;
    ip_forward(ns, dev, std::move(pkt), *r);
}

void Kernel::ip_forward(int ns, const Link& in, Ipv4Packet pkt, const Route& r, bool redirect) {
    if (pkt.ttl <= 1) {
        trace([&] { return fmt::format("{}: TTL of {} -> {} expired", name(ns), pkt.src.str(), pkt.dst.str()); });
        icmp_send(ns, pkt, IcmpType::time_exceeded, 0);
        return;
    }
    --pkt.ttl;
    const Ipv4 nexthop = nexthop_of(*nsp(ns), r, pkt.dst);
    trace([&] {
        return fmt::format("{}: forwards {} -> {} from {} to {}", name(ns), pkt.src.str(), pkt.dst.str(), in.name,
                           nsp(ns)->ifname(r.oif));
    });
    if (redirect) ip_rt_send_redirect(ns, pkt, nexthop);
    neigh_output(ns, r.oif, nexthop, std::move(pkt));
}

void Kernel::local_deliver(int ns, const Ipv4Packet& pkt) {
    const Namespace* n = nsp(ns);
    if (!n) return;
    auto& sockets = rt(ns).icmp_sockets;
    if (pkt.icmp.type == IcmpType::echo_request) {
        if (rt(ns).echo_ignore_all) return;
        auto route = route_output(ns, pkt.src);
        if (!route) {
            trace([&] {
                return fmt::format("{}: no route back to {} for the echo reply: dropped", name(ns), pkt.src.str());
            });
            return;
        }
        Ipv4Packet reply{pkt.dst, pkt.src, 64, Icmp{IcmpType::echo_reply, 0, pkt.icmp.id, pkt.icmp.seq, {}}, pkt.sent_at};
        send(ns, std::move(reply), *route);
        return;
    }
    const uint16_t id = is_icmp_error(pkt) && pkt.icmp.quoted ? pkt.icmp.quoted->id : pkt.icmp.id;
    if (is_icmp_error(pkt) && (!pkt.icmp.quoted || !n->has_local_address(pkt.icmp.quoted->src))) return;
    if (pkt.icmp.type == IcmpType::redirect) icmp_redirect(ns, pkt);
    auto it = sockets.find(id);
    if (it != sockets.end()) it->second(pkt);
}

// ip_rt_send_redirect: to the sender, through the inet_peer of its address: a first
// redirect at once, then with exponential backoff (ip_rt_redirect_load 20 ms << n), none
// after ip_rt_redirect_number (9) until ip_rt_redirect_silence (20.48 s) passes without
// one; the reset after silence also empties the peer's ICMP error tokens, and a sent
// redirect restarts their refill (rate_last), so an unreachable error to the same host
// within a second of a redirect is not sent.
void Kernel::ip_rt_send_redirect(int ns, const Ipv4Packet& pkt, Ipv4 gateway) {
    constexpr Time load = 5 * kJiffy, silence = (5 * kJiffy) << 10;
    constexpr int number = 9;
    const Time jiffies = now() / kJiffy * kJiffy;
    auto [it, added] = rt(ns).icmp_peers.try_emplace(pkt.src.value(), Peer{0, jiffies - 60 * kSecond, 0});
    Peer& p = it->second;
    if (jiffies > p.last + silence) {
        p.tokens = 0;
        p.n_redirects = 0;
    }
    if (p.n_redirects >= number) {
        p.last = jiffies;
        return;
    }
    if (p.n_redirects == 0 || jiffies > p.last + (load << p.n_redirects)) {
        trace([&] {
            return fmt::format("{}: {} -> {} leaves the way it came: redirect to {} (new nexthop {})", name(ns),
                               pkt.src.str(), pkt.dst.str(), pkt.src.str(), gateway.str());
        });
        icmp_send(ns, pkt, IcmpType::redirect, 1, gateway);  // ICMP_REDIR_HOST
        p.last = jiffies;
        ++p.n_redirects;
    }
}

// icmp_redirect -> ipv4_redirect -> __ip_do_redirect, on the host that receives one:
// when it comes from the gateway our route to the quoted destination uses and the new
// gateway is acceptable, the neighbour entry of the new gateway is looked up or made;
// one not yet valid is resolved (neigh_event_send without a packet). A valid one would
// make a route exception (fnhe) that sends later packets to the new gateway for
// ip_rt_gc_timeout (300 s): not modelled.
void Kernel::icmp_redirect(int ns, const Ipv4Packet& pkt) {
    if (!pkt.icmp.quoted || pkt.icmp.code > 3) return;
    const Namespace* n = nsp(ns);
    auto route = route_output(ns, pkt.icmp.quoted->dst);
    if (!route || route->local || !route->route || route->nexthop != pkt.src) return;
    const Link* dev = n->link(route->oif);
    if (!dev) return;
    const Ipv4 gw = pkt.icmp.gateway;
    if (gw == pkt.src || !conf(ns, *dev).rx_redirects || gw.is_multicast() || gw.is_limited_broadcast() ||
        gw.is_zero())
        return;
    const Route* type = st_.lookup(*n, gw);
    if (type && (type->type == RouteType::local || type->type == RouteType::broadcast)) return;
    const Neighbour* e = rt(ns).neigh.find(neigh_key(dev->ifindex, gw));
    if (e && e->state != NudState::incomplete && e->state != NudState::failed) {
        trace([&] {
            return fmt::format("{}: redirect to {} for {} accepted; the route exception it makes is not modelled",
                               name(ns), gw.str(), pkt.icmp.quoted->dst.str());
        });
        return;
    }
    trace([&] {
        return fmt::format("{}: redirect to {} for {}: resolving the new gateway on {}", name(ns), gw.str(),
                           pkt.icmp.quoted->dst.str(), dev->name);
    });
    neigh_event_send(ns, dev->ifindex, gw);
}

// inet_peer_xrlim_allow: one inet_peer per remote address holds a token bucket that ip_error
// and icmp_send both draw on. Tokens (time) refill with time up to burst; a new peer is
// 60 s old, so it starts full. The clock is jiffies: gaps of microseconds do not count.
bool Kernel::peer_take(int ns, Ipv4 peer, Time cost, Time burst) {
    const Time jiffies = now() / kJiffy * kJiffy;
    auto [it, added] = rt(ns).icmp_peers.try_emplace(peer.value(), Peer{0, jiffies - 60 * kSecond, 0});
    auto& tokens = it->second.tokens;
    auto& last = it->second.last;
    tokens = std::min(tokens + (jiffies - last), burst);
    last = jiffies;
    if (tokens < cost) return false;
    tokens -= cost;
    return true;
}

// ip_error: a packet we cannot route costs ip_rt_error_cost (1 s) of a 5 s burst.
bool Kernel::ip_error_allows(int ns, Ipv4 src) { return peer_take(ns, src, kSecond, 5 * kSecond); }

// icmpv4_xrlim_allow: the types in icmp_ratemask (unreachable, time exceeded, ...) cost
// icmp_ratelimit ms of a burst of 6; errors to ourselves (through lo) are free.
bool Kernel::icmp_rate_allows(int ns, Ipv4 dst, IcmpType type) {
    const Namespace& n = *nsp(ns);
    const int mask = std::stoi(st_.sysctl_value(n, "net.ipv4.icmp_ratemask"));
    if (!((1u << unsigned(type)) & unsigned(mask))) return true;
    const Time timeout = Time(std::stoll(st_.sysctl_value(n, "net.ipv4.icmp_ratelimit"))) * kMillisecond;
    if (timeout <= 0) return true;
    return peer_take(ns, dst, timeout, 6 * timeout);
}

void Kernel::icmp_send(int ns, const Ipv4Packet& about, IcmpType type, uint8_t code, Ipv4 gateway) {
    if (is_icmp_error(about) || is_martian_source(about.src)) return;  // never an error about an error
    auto route = route_output(ns, about.src);
    if (!route) {
        trace([&] {
            return fmt::format("{}: no route back to {} for the ICMP error: dropped", name(ns), about.src.str());
        });
        return;
    }
    Ipv4Packet err{route->src, about.src, 64,
                   Icmp{type, code, 0, 0, Quoted{about.src, about.dst, about.icmp.id, about.icmp.seq}, gateway}, 0};
    if (!route->local && !icmp_rate_allows(ns, about.src, type)) {
        trace([&] {
            return fmt::format("{}: the ICMP error to {} is over the rate limit (net.ipv4.icmp_ratelimit): not sent",
                               name(ns), about.src.str());
        });
        return;
    }
    if (route->local && !nsp(ns)->link("lo")->admin_up)
        trace([&] {
            return fmt::format("{}: the ICMP error for {} is sent to ourselves through lo, which is down: lost",
                               name(ns), about.dst.str());
        });
    send(ns, std::move(err), *route);
}

}  // namespace vethlab::sim
