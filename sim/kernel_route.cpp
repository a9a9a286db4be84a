// Route lookups of the data plane: output routes for sockets (route.c
// ip_route_output_key_hash_rcu), source selection (fib_result_prefsrc and devinet.c
// inet_select_addr) and reverse-path validation (fib_frontend.c fib_validate_source);
// and the namespace ids and per-device sysctls the data path caches.
#include <charconv>

#include <fmt/format.h>

#include "sim/kernel.hpp"

namespace vethlab::sim {
namespace {

// A stored sysctl value (model/netstate_sysctl.cpp): an int, or for the ms knobs read
// back from jiffies, up to 2^31.
int64_t to_int(const std::string& s) {
    int64_t v = 0;
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

// The compiled default of a knob, from the model's table (looked up once per knob).
int64_t compiled_default(const std::string& knob) {
    static std::map<std::string, int64_t> cache;
    auto [it, added] = cache.try_emplace(knob, 0);
    if (added) {
        const bool neigh = knob.rfind("neigh.", 0) == 0;
        const std::string key = neigh ? "net.ipv4.neigh.lo." + knob.substr(6) : "net.ipv4.conf.all." + knob;
        it->second = to_int(default_sysctl(key).value_or("0"));
    }
    return it->second;
}

}  // namespace

int Kernel::id_of(const std::string& ns) {
    auto [it, added] = ids_.try_emplace(ns, int(rt_.size()));
    if (added) {
        rt_.emplace_back();
        rt_.back().name = ns;
        refresh(rt_.back());
        rt_.back().devs = snapshot(rt_.back().ns);
    }
    return it->second;
}

void Kernel::refresh(Runtime& r) {
    r.ns = st_.ns(r.name);
    r.echo_ignore_all = r.ns && st_.sysctl_value(*r.ns, "net.ipv4.icmp_echo_ignore_all") != "0";
}

Kernel::DevCache& Kernel::dev_cache(int id, int ifindex) {
    Runtime& r = rt(id);
    if (ifindex >= 0 && ifindex < kDenseIfindex) {
        if (size_t(ifindex) >= r.dev.size()) r.dev.resize(size_t(ifindex) + 1);
        return r.dev[size_t(ifindex)];
    }
    return r.sparse_dev[ifindex];
}

const Kernel::DevConf& Kernel::conf(int id, const Link& dev) {
    DevCache& c = dev_cache(id, dev.ifindex);
    Runtime& r = rt(id);
    if (c.conf == DevCache::unknown) {
        if (dev.conf.empty()) {  // the usual case: the namespace's values, computed once
            if (!r.plain) r.plain = compute_conf(id, nullptr);
            c.conf = DevCache::plain;
        } else {
            c.own_conf = uint32_t(r.own_conf.size());
            r.own_conf.push_back(compute_conf(id, &dev));
            c.conf = DevCache::own;
        }
    }
    return c.conf == DevCache::plain ? *r.plain : r.own_conf[c.own_conf];
}

// Reads the device's own values (Link::conf holds what differs from the compiled
// defaults) and the namespace's "all" ones, without building sysctl names per knob.
Kernel::DevConf Kernel::compute_conf(int id, const Link* dev) {
    const Namespace& n = *nsp(id);
    auto value = [](const std::map<std::string, std::string>& m, const std::string& key, int64_t def) {
        auto v = m.find(key);
        return v == m.end() ? def : to_int(v->second);
    };
    auto knob = [&](const std::string& key, bool with_all) -> int64_t {
        const int64_t def = compiled_default(key);
        const int64_t own = dev ? value(dev->conf, key, def) : def;
        return with_all ? std::max(own, value(n.sysctls, "net.ipv4.conf.all." + key, def)) : own;
    };
    auto small = [&](const std::string& key, bool with_all) { return int(knob(key, with_all)); };  // an int knob
    DevConf c;
    c.rp_filter = small("rp_filter", true);
    c.accept_local = small("accept_local", true);
    c.arp_ignore = small("arp_ignore", true);
    c.arp_announce = small("arp_announce", true);
    c.forwarding = small("forwarding", false);
    c.ignore_linkdown = small("ignore_routes_with_linkdown", true);
    c.send_redirects = small("send_redirects", true);
    {
        const int64_t def = compiled_default("accept_redirects");
        const int64_t own = dev ? value(dev->conf, "accept_redirects", def) : def;
        const int64_t all = value(n.sysctls, "net.ipv4.conf.all.accept_redirects", def);
        c.rx_redirects = c.forwarding ? (own && all) : (own || all);
    }
    c.mcast_solicit = small("neigh.mcast_solicit", false);
    c.retrans = Time(knob("neigh.retrans_time_ms", false)) * kMillisecond;
    c.ucast_solicit = small("neigh.ucast_solicit", false);
    c.reachable = Time(knob("neigh.base_reachable_time_ms", false)) * kMillisecond;
    c.delay_probe = Time(knob("neigh.delay_first_probe_time", false)) * kSecond;
    return c;
}

const Route* Kernel::fib_lookup(int id, Ipv4 dst, int oif) {
    const Namespace& n = *nsp(id);
    const Route* r = st_.lookup(n, dst, RouteScope::universe, oif);
    if (!r || !r->oif) return r;
    const Link* dev = n.link(r->oif);
    // ignore_routes_with_linkdown: a route through a device without carrier is skipped.
    if (dev && conf(id, *dev).ignore_linkdown && dev->kind != LinkKind::loopback && !st_.carrier(n, *dev)) return nullptr;
    return r;
}

// fib_check_nh_v4_gw gives a gateway nexthop the scope of the route that reaches the
// gateway; rt_set_nexthop uses the gateway only when that scope is link. A gateway that
// is one of our own addresses is reached by a local route (scope host): the route is
// accepted and printed with its "via", but packets go straight to their destination on
// the route's device (`ip route get` prints no via; found by fuzz-diff, seed 5244,
// tests/corpus/route-via-own-address.sh). The kernel fixes the scope when the route is
// inserted; the twin decides at lookup time, so an address added or deleted after the
// route counts here and not on the kernel (not modelled).
Ipv4 Kernel::nexthop_of(const Namespace& n, const Route& r, Ipv4 dst) const {
    if (r.gateway.is_zero()) return dst;
    const Route* via = st_.lookup(n, r.gateway, RouteScope::link);
    return via && via->type == RouteType::local ? dst : r.gateway;
}

bool Kernel::uses_gateway(const std::string& ns, const Route& r) const {
    const Namespace* n = st_.ns(ns);
    return n && !r.gateway.is_zero() && nexthop_of(*n, r, Ipv4()) == r.gateway;
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

int Kernel::ns_id(const std::string& ns) { return st_.ns(ns) ? id_of(ns) : -1; }

Result<OutputRoute> Kernel::route_output(const std::string& ns, Ipv4 dst, int bound_oif) {
    const int id = ns_id(ns);
    if (id < 0) return Error{"No such namespace"};
    return route_output(id, dst, bound_oif);
}

Result<OutputRoute> Kernel::route_output(int id, Ipv4 dst, int bound_oif) {
    const Namespace& n = *nsp(id);
    const Route* r = fib_lookup(id, dst, bound_oif);
    OutputRoute out;
    if (!r && bound_oif) {  // "routing tables are wrong; assume the destination is on link"
        const Link* dev = n.link(bound_oif);
        out.oif = bound_oif;
        out.nexthop = dst;
        out.src = dev ? select_source(n, *dev, Ipv4(), RouteScope::link) : Ipv4();
        return out;
    }
    if (!r) return Error{"Network is unreachable"};
    if (is_error_type(r->type)) {
        if (r->type == RouteType::unreachable) return Error{"No route to host"};
        if (r->type == RouteType::prohibit) return Error{"Permission denied"};
        return Error{"Invalid argument"};
    }
    out.route = r;
    out.oif = r->oif;
    out.nexthop = nexthop_of(n, *r, dst);
    if (r->type == RouteType::local || r->type == RouteType::broadcast) {
        out.local = r->type == RouteType::local;
        out.src = r->prefsrc.is_zero() ? dst : r->prefsrc;
        return out;
    }
    const Link* dev = n.link(r->oif);
    out.src = !r->prefsrc.is_zero() ? r->prefsrc : (dev ? select_source(n, *dev, r->gateway, r->scope) : Ipv4());
    return out;
}

bool Kernel::validate_source(int id, const Link& dev, Ipv4 src) {
    const Namespace& n = *nsp(id);
    const DevConf& c = conf(id, dev);
    if (c.rp_filter == 0) {
        if (c.accept_local) return true;
        return !n.has_local_address(src);  // our own address from outside: martian
    }
    const Route* back = st_.lookup(n, src);
    if (!back) return false;
    if (back->type != RouteType::unicast && (back->type != RouteType::local || !c.accept_local)) return false;
    if (back->oif == dev.ifindex) return true;          // the way back is through dev
    if (dev.addrs.empty() || c.rp_filter == 1) return false;  // strict, or nothing on dev to prove it
    return true;                                         // loose: any way back will do
}

// fib_validate_source's full check (__fib_validate_source), which runs whenever a packet
// would leave through the device it came in on while send_redirects is on: -1 drop
// (martian, or rp_filter), 1 the source is directly on dev (the way back has a nexthop of
// scope host: no gateway), which is when ip_route_input marks the packet for a redirect;
// 0 otherwise. With rp_filter off the full check is stricter than the usual one: a source
// whose way back is a blackhole, unreachable or prohibit route is dropped too.
int Kernel::validate_source_full(int id, const Link& dev, Ipv4 src) {
    const Namespace& n = *nsp(id);
    const DevConf& c = conf(id, dev);
    const int rpf = c.rp_filter;
    auto direct = [&](const Route& r) { return nexthop_of(n, r, Ipv4()).is_zero(); };
    const Route* back = st_.lookup(n, src);
    if (!back) return rpf ? -1 : 0;  // last_resort
    if (back->type != RouteType::unicast && (back->type != RouteType::local || !c.accept_local)) return -1;
    const bool dev_match = back->oif == dev.ifindex || (back->type == RouteType::local && dev.kind == LinkKind::loopback);
    if (dev_match) return direct(*back) ? 1 : 0;
    if (dev.addrs.empty()) return rpf ? -1 : 0;  // no_addr: last_resort
    if (rpf == 1) return -1;
    const Route* via_dev = st_.lookup(n, src, RouteScope::universe, dev.ifindex);
    return via_dev && via_dev->type == RouteType::unicast && direct(*via_dev) ? 1 : 0;
}

}  // namespace vethlab::sim
