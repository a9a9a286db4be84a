// Route lookups of the data plane: output routes for sockets (route.c
// ip_route_output_key_hash_rcu), source selection (fib_result_prefsrc and devinet.c
// inet_select_addr) and reverse-path validation (fib_frontend.c fib_validate_source).
#include <charconv>

#include <fmt/format.h>

#include "sim/kernel.hpp"

namespace vethlab::sim {
namespace {

int to_int(const std::string& s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

bool is_error_type(RouteType t) {
    return t == RouteType::blackhole || t == RouteType::unreachable || t == RouteType::prohibit;
}

// in_dev_select_addr: the first primary address of scope no narrower than `scope`,
// never a link- or host-scope one (so 127.0.0.1 never qualifies).
std::optional<Ipv4> dev_select(const Link& l, RouteScope scope) {
    for (const auto& a : l.addrs)
        if (!a.secondary && a.scope != RouteScope::link && uint8_t(a.scope) <= uint8_t(scope)) return a.addr.local();
    return std::nullopt;
}

}  // namespace

int Kernel::conf_int(const Namespace& n, const Link& dev, std::string_view knob) const {
    const int all = to_int(st_.sysctl_value(n, fmt::format("net.ipv4.conf.all.{}", knob)));
    const int own = to_int(st_.sysctl_value(n, fmt::format("net.ipv4.conf.{}.{}", dev.name, knob)));
    return std::max(all, own);
}

bool Kernel::forwarding(const Namespace& n, const Link& dev) const {
    return to_int(st_.sysctl_value(n, fmt::format("net.ipv4.conf.{}.forwarding", dev.name))) != 0;
}

const Route* Kernel::fib_lookup(const Namespace& n, Ipv4 dst, int oif) const {
    const Route* r = st_.lookup(n, dst, RouteScope::universe, oif);
    if (!r || !r->oif) return r;
    const Link* dev = n.link(r->oif);
    // ignore_routes_with_linkdown: a route through a device without carrier is skipped.
    if (dev && !st_.carrier(n, *dev) && dev->kind != LinkKind::loopback &&
        conf_int(n, *dev, "ignore_routes_with_linkdown") != 0)
        return nullptr;
    return r;
}

Ipv4 Kernel::select_source(const Namespace& n, const Link& dev, Ipv4 dst, RouteScope scope) const {
    std::optional<Ipv4> first;
    for (const auto& a : dev.addrs) {
        if (a.secondary || uint8_t(a.scope) > uint8_t(scope)) continue;
        if (dst.is_zero() || a.addr.prefix().contains(dst)) return a.addr.local();
        if (!first) first = a.addr.local();
    }
    if (first) return *first;
    for (const auto& l : n.links)  // device order; lo first
        if (auto a = dev_select(l, scope)) return *a;
    return Ipv4();
}

Result<OutputRoute> Kernel::route_output(const std::string& ns_name, Ipv4 dst, int bound_oif) const {
    const Namespace* n = st_.ns(ns_name);
    if (!n) return Error{"No such namespace"};
    const Route* r = fib_lookup(*n, dst, bound_oif);
    OutputRoute out;
    if (!r && bound_oif) {  // "routing tables are wrong; assume the destination is on link"
        const Link* dev = n->link(bound_oif);
        out.oif = bound_oif;
        out.nexthop = dst;
        out.src = dev ? select_source(*n, *dev, Ipv4(), RouteScope::link) : Ipv4();
        return out;
    }
    if (!r) return Error{"Network is unreachable"};
    if (is_error_type(r->type)) {
        if (r->type == RouteType::unreachable) return Error{"No route to host"};
        if (r->type == RouteType::prohibit) return Error{"Permission denied"};
        return Error{"Invalid argument"};
    }
    out.route = r;
    if (r->type == RouteType::local || r->type == RouteType::broadcast) {
        out.local = r->type == RouteType::local;
        out.oif = r->oif;
        out.nexthop = dst;
        out.src = r->prefsrc.is_zero() ? dst : r->prefsrc;
        return out;
    }
    out.oif = r->oif;
    out.nexthop = r->gateway.is_zero() ? dst : r->gateway;
    const Link* dev = n->link(r->oif);
    out.src = !r->prefsrc.is_zero() ? r->prefsrc : (dev ? select_source(*n, *dev, r->gateway, r->scope) : Ipv4());
    return out;
}

bool Kernel::validate_source(const Namespace& n, const Link& dev, Ipv4 src) const {
    const int rpf = conf_int(n, dev, "rp_filter");
    if (rpf == 0) {
        if (conf_int(n, dev, "accept_local")) return true;
        return !n.has_local_address(src);  // our own address from outside: martian
    }
    const Route* back = st_.lookup(n, src);
    if (!back) return false;
    if (back->type != RouteType::unicast &&
        (back->type != RouteType::local || !conf_int(n, dev, "accept_local")))
        return false;
    if (back->oif == dev.ifindex) return true;       // the way back is through dev
    if (dev.addrs.empty() || rpf == 1) return false;  // strict, or nothing on dev to prove it
    return true;                                      // loose: any way back will do
}

}  // namespace vethlab::sim
