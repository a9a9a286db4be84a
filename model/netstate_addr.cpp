// Addresses and the routes the kernel derives from them (fib_frontend.c
// fib_add_ifaddr / fib_del_ifaddr, devinet.c __inet_insert_ifa / __inet_del_ifa).
#include <algorithm>

#include "model/netstate.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

Route kernel_route(RouteType type, Prefix dst, const Link& link, Ipv4 src) {
    Route r;
    r.table = type == RouteType::unicast ? kTableMain : kTableLocal;
    r.type = type;
    r.dst = dst;
    r.oif = link.ifindex;
    r.prefsrc = src;
    r.scope = type == RouteType::local ? RouteScope::host : RouteScope::link;
    r.proto = RouteProto::kernel;
    return r;
}

// fib_magic with NLM_F_CREATE|NLM_F_APPEND: add unless an identical route exists.
void append_unique(RouteTable& routes, const Route& r) { routes.push_back_unique(r); }

void erase_one(RouteTable& routes, const Route& r) {
    if (const auto h = routes.find(r); h != RouteTable::kNone) routes.erase(h);
}

// Where __inet_insert_ifa puts a new address: a secondary goes last; a primary after
// the last primary of the same or wider scope.
size_t insert_position(const Link& link, const Address& a) {
    if (a.secondary) return link.addrs.size();
    size_t pos = 0;
    for (size_t i = 0; i < link.addrs.size(); ++i)
        if (!link.addrs[i].secondary && uint8_t(a.scope) <= uint8_t(link.addrs[i].scope)) pos = i + 1;
    return pos;
}

// The source of a local route: the address itself, or for a secondary its primary.
Ipv4 local_route_src(const Link& link, const Address& a) {
    if (!a.secondary) return a.addr.local();
    for (const auto& p : link.addrs)
        if (!p.secondary && p.addr.len() == a.addr.len() && p.addr.prefix().contains(a.addr.local()))
            return p.addr.local();
    return a.addr.local();
}

// fib_add_ifaddr adds a route for an explicit broadcast, unless it is 255.255.255.255.
bool has_broadcast_route(const Address& a) { return !a.broadcast.is_zero() && !a.broadcast.is_limited_broadcast(); }

// fib_del_ifaddr's BRD_OK: another address still asks for the broadcast, as its own or as
// its primary subnet's.
bool broadcast_in_use(const Link& link, Ipv4 brd) {
    for (const auto& a : link.addrs) {
        if (a.broadcast == brd) return true;
        const Prefix net = a.addr.prefix();
        if (!a.secondary && a.addr.len() < 31 && !net.network().is_zero() && (net.last() == brd || net.network() == brd))
            return true;
    }
    return false;
}

}  // namespace

void NetState::add_connected_routes(Namespace& n, const Link& link, const Address& a) {
    const Ipv4 local = a.addr.local();
    append_unique(n.routes, kernel_route(RouteType::local, Prefix(local, 32), link, local_route_src(link, a)));
    if (!link.admin_up) return;
    if (has_broadcast_route(a))
        append_unique(n.routes, kernel_route(RouteType::broadcast, Prefix(a.broadcast, 32), link, local_route_src(link, a)));
    if (a.secondary) return;
    const Prefix net = a.addr.prefix();
    if (!net.network().is_zero() && (net.network() != local || a.addr.len() < 32)) {
        const RouteType type = link.kind == LinkKind::loopback ? RouteType::local : RouteType::unicast;
        append_unique(n.routes, kernel_route(type, net, link, local));
        if (a.addr.len() < 31)
            append_unique(n.routes, kernel_route(RouteType::broadcast, Prefix(net.last(), 32), link, local));
    }
}

std::optional<std::string> NetState::apply_op(const AddrAdd& e) {
    Namespace* found = find_ns(e.ns);
    if (!found) return errors::no_netns(e.ns);
    Namespace& n = *found;
    Link* link = n.link(e.dev);
    if (!link) return errors::no_device(e.dev);
    // rtm_to_ifaddr: ipv4_devconf_setall -- an address configured from user space, even one
    // then refused, makes every conf knob the device's own: conf.default no longer reaches it.
    link->conf_written = kAllConfWritten;
    Address a{e.addr, e.addr.local().is_loopback() ? RouteScope::host : RouteScope::universe, false,
              e.broadcast.value_or(Ipv4())};
    for (const auto& old : link->addrs) {
        if (old.addr.len() != a.addr.len() || !old.addr.prefix().contains(a.addr.local())) continue;
        if (old.addr.local() == a.addr.local()) return errors::extack("ipv4: Address already assigned");
        if (old.scope != a.scope) return errors::rtnl(errors::kInval);
        a.secondary = true;
    }
    link->addrs.insert(link->addrs.begin() + long(insert_position(*link, a)), a);
    n.address_added(a.addr.local());
    add_connected_routes(n, *link, a);
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const AddrDel& e) {
    Namespace* found = find_ns(e.ns);
    if (!found) return errors::no_netns(e.ns);
    Namespace& n = *found;
    Link* link = n.link(e.dev);
    if (!link) return errors::no_device(e.dev);
    for (size_t i = 0; i < link->addrs.size(); ++i) {
        if (link->addrs[i].addr == e.addr) {
            remove_addr(n, *link, i);
            return std::nullopt;
        }
    }
    return errors::extack("ipv4: Address not found");
}

// The secondaries of a deleted primary's subnet: the first promoted (promote_secondaries),
// or all deleted with it.
void NetState::drop_secondaries(Namespace& n, Link& link, const Address& gone) {
    const bool promote = sysctl_value(n, "net.ipv4.conf.all.promote_secondaries") != "0" ||
                         (link.conf.count("promote_secondaries") && link.conf.at("promote_secondaries") != "0");
    bool promoted = false;
    for (size_t i = 0; i < link.addrs.size();) {
        Address& s = link.addrs[i];
        if (!s.secondary || s.addr.len() != gone.addr.len() || !gone.addr.prefix().contains(s.addr.local())) {
            ++i;
        } else if (!promote) {
            remove_addr(n, link, i);
        } else {
            if (!promoted) s.secondary = false;
            promoted = true;
            ++i;
        }
    }
}

void NetState::remove_addr(Namespace& n, Link& link, size_t index) {
    const Address gone = link.addrs[index];
    link.addrs.erase(link.addrs.begin() + long(index));
    n.address_removed(gone.addr.local());
    const Ipv4 local = gone.addr.local();
    if (!gone.secondary) {
        drop_secondaries(n, link, gone);
        const Prefix net = gone.addr.prefix();
        const RouteType prefix_type = link.kind == LinkKind::loopback ? RouteType::local : RouteType::unicast;
        erase_one(n.routes, kernel_route(prefix_type, net, link, local));
        erase_one(n.routes, kernel_route(RouteType::broadcast, Prefix(net.last(), 32), link, local));
    }
    if (has_broadcast_route(gone) && !broadcast_in_use(link, gone.broadcast))
        erase_one(n.routes, kernel_route(RouteType::broadcast, Prefix(gone.broadcast, 32), link, local_route_src(link, gone)));
    erase_one(n.routes, kernel_route(RouteType::local, Prefix(local, 32), link, local_route_src(link, gone)));
    // fib_sync_down_addr: routes preferring a source that is no longer ours go too.
    if (!n.has_local_address(local)) n.routes.erase_prefsrc(local);
    // The last address gone: IP is disabled on the device, every route through it goes.
    if (link.addrs.empty()) n.routes.erase_oif_if(link.ifindex, [](const Route&) { return true; });
    // After a promotion the subnet's addresses get their routes again, with the new primary.
    if (!gone.secondary)
        for (const auto& a : link.addrs)
            if (a.addr.len() == gone.addr.len() && gone.addr.prefix().contains(a.addr.local()))
                add_connected_routes(n, link, a);
}

}  // namespace vethlab
