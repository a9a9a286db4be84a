// Devices: creation, deletion, moves between namespaces, renames, admin state.
#include <algorithm>

#include "model/netstate.hpp"

#include "model/names.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

std::optional<std::string> check_mtu(const Link& link, uint32_t mtu) {
    if (link.kind == LinkKind::loopback) return std::nullopt;
    if (mtu < 68) return errors::extack("mtu less than device minimum");
    if (mtu > 65535) return errors::extack("mtu greater than device maximum");
    return std::nullopt;
}

// The other end of a veth pair: its name (the kernel's veth%d if none given), mtu, mac.
std::optional<std::string> make_peer(const LinkAdd& e, const Namespace& there, bool same_ns,
                                     Link& peer) {
    peer.kind = LinkKind::veth;
    peer.name = e.peer;
    if (peer.name.empty()) {
        for (int i = 0; peer.name.empty() || there.link(peer.name); ++i) peer.name = fmt::format("veth{}", i);
    }
    if (auto why = check_ifname(peer.name)) return *why;
    if (there.link(peer.name) || (same_ns && peer.name == e.name)) return errors::rtnl(errors::kExists);
    peer.mtu = e.peer_mtu.value_or(1500);  // rtnl_create_link: the peer's own IFLA_MTU or ether_setup's
    if (auto err = check_mtu(peer, peer.mtu)) return err;
    if (e.peer_mac) peer.mac = *e.peer_mac;
    return std::nullopt;
}

// br_stp_recalculate_bridge_id: a bridge whose MAC was not set by hand takes its ports'
// smallest; without ports the all-zero one (its random MAC from creation is gone).
void bridge_mac_adjust(Namespace& n, int bridge) {
    Link* br = n.link(bridge);
    if (!br || br->kind != LinkKind::bridge || br->mac_set) return;
    std::optional<Mac> smallest;
    for (const auto& l : n.links)
        if (l.master == bridge && (!smallest || l.mac < *smallest)) smallest = l.mac;
    br->mac = smallest.value_or(Mac());
}

}  // namespace

std::optional<std::string> NetState::apply_op(const LinkAdd& e) {
    Namespace* caller = find_ns(e.ns);
    if (!caller) return errors::no_netns(e.ns);
    const std::string& where = e.netns.value_or(e.ns);
    const std::string& peer_where = e.peer_netns.value_or(e.ns);
    Namespace* home = where == e.ns ? caller : find_ns(where);
    if (!home) return errors::bad_netns_arg(where);
    Namespace* peer_home = e.kind != LinkKind::veth ? nullptr : peer_where == e.ns ? caller : find_ns(peer_where);
    if (e.kind == LinkKind::veth && !peer_home) return errors::bad_netns_arg(peer_where);
    if (auto why = check_ifname(e.name)) return *why;
    if (home->link(e.name)) return errors::rtnl(errors::kExists);
    if (e.kind == LinkKind::loopback) return errors::extack("Unknown device type");

    Link link;
    link.name = e.name;
    link.kind = e.kind;
    link.mtu = e.mtu.value_or(1500);
    if (auto err = check_mtu(link, link.mtu)) return err;
    if (e.mac) link.mac = *e.mac;
    link.mac_set = e.kind == LinkKind::bridge && e.mac;  // IFLA_ADDRESS: NET_ADDR_SET
    if (e.kind != LinkKind::veth) {
        Link& made = insert_link(*home, std::move(link));
        if (e.up.value_or(false)) link_went_up(*home, made);
        return std::nullopt;
    }
    Link peer;
    if (auto err = make_peer(e, *peer_home, home == peer_home, peer)) return err;

    // veth_newlink registers the peer first, so in one namespace it gets the lower ifindex.
    // Both ends may land in one namespace: look them up again after both inserts.
    const int b_index = insert_link(*peer_home, std::move(peer)).ifindex;
    const int a_index = insert_link(*home, std::move(link)).ifindex;
    Link& a = *home->link(a_index);
    a.peer_ns = peer_where;
    a.peer_ifindex = b_index;
    Link& b = *peer_home->link(b_index);
    b.peer_ns = where;
    b.peer_ifindex = a_index;
    if (e.up.value_or(false)) link_went_up(*home, *home->link(a_index));
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const LinkDel& e) {
    Namespace* found = find_ns(e.ns);
    if (!found) return errors::no_netns(e.ns);
    Namespace& n = *found;
    Link* link = n.link(e.name);
    if (!link) return errors::no_device(e.name);
    if (link->kind == LinkKind::loopback) return errors::rtnl(errors::kNotSupp);
    remove_link(n, link->ifindex);
    return std::nullopt;
}

void NetState::remove_link(Namespace& n, int ifindex) {
    Link* link = n.link(ifindex);
    if (!link) return;
    while (!link->addrs.empty()) remove_addr(n, *link, link->addrs.size() - 1);
    n.routes.erase_oif_if(ifindex, [](const Route&) { return true; });
    const Link gone = n.take_link(ifindex);
    if (gone.master) {  // br_del_if
        bridge_mtu_adjust(n, gone.master);
        bridge_mac_adjust(n, gone.master);
    }
    if (gone.kind == LinkKind::bridge)                    // br_dev_delete: every port is released
        for (auto& l : n.links)
            if (l.master == ifindex) l.master = 0;
    if (gone.kind == LinkKind::veth) {
        if (Namespace* pn = find_ns(gone.peer_ns)) {
            if (Link* p = pn->link(gone.peer_ifindex); p && p->kind == LinkKind::veth) {
                p->kind = LinkKind::dummy;  // stop the recursion from coming back here
                remove_link(*pn, gone.peer_ifindex);
            }
        }
    }
}

std::optional<std::string> NetState::apply_op(const LinkSet& e) {
    Namespace* n = find_ns(e.ns);
    if (!n) return errors::no_netns(e.ns);
    // iproute2 resolves `master BR` (in the caller's namespace) while it reads the words.
    int master = 0;
    if (e.master && !e.master->empty()) {
        const Link* m = n->link(*e.master);
        if (!m) return fmt::format("Error: argument \"{}\" is wrong: Device does not exist", *e.master);
        master = m->ifindex;
    }
    Link* link = n->link(e.name);
    if (!link) return errors::no_device(e.name);
    const bool moving = e.netns && *e.netns != e.ns;
    Namespace* dest = e.netns ? find_ns(*e.netns) : n;
    if (!dest) return errors::bad_netns_arg(*e.netns);
    // lo and bridges are NETIF_F_NETNS_LOCAL.
    if (moving && (link->kind == LinkKind::loopback || link->kind == LinkKind::bridge))
        return errors::extack("The interface netns is immutable");
    const std::string final_name = e.new_name.value_or(link->name);
    if (auto why = check_ifname(final_name)) return *why;
    if (const Link* other = dest->link(final_name); other && other != link) return errors::rtnl(errors::kExists);
    if (e.mtu)
        if (auto err = check_mtu(*link, *e.mtu)) return err;

    if (moving) {
        link = &move_link(*n, link->ifindex, *dest, final_name);
        n = dest;
    } else {
        n->rename_link(*link, final_name);
    }
    if (e.mac) {
        link->mac = *e.mac;
        if (link->kind == LinkKind::bridge) link->mac_set = true;  // br_set_mac_address
        if (link->master) bridge_mac_adjust(*n, link->master);     // NETDEV_CHANGEADDR
    }
    if (e.mtu) {
        link->mtu = *e.mtu;
        if (link->kind == LinkKind::bridge) link->mtu_set = true;  // br_change_mtu
        if (link->master) bridge_mtu_adjust(*n, link->master);     // NETDEV_CHANGEMTU
    }
    if (e.up && *e.up && !link->admin_up) link_went_up(*n, *link);
    if (e.up && !*e.up && link->admin_up) link_went_down(*n, *link);
    // do_set_master, last: what came before stays even when it refuses.
    if (e.master) return set_master(*n, *link, master);
    return std::nullopt;
}

// do_set_master: a port of another bridge is released first -- also when the new
// master then refuses it; a master without ndo_add_slave refuses; br_add_if's checks.
std::optional<std::string> NetState::set_master(Namespace& n, Link& link, int master) {
    if (link.master == master) return std::nullopt;
    if (link.master) release_port(n, link);
    if (master == 0) return std::nullopt;
    Link* br = n.link(master);
    if (!br) return errors::rtnl(errors::kInval);
    if (br->kind != LinkKind::bridge) return errors::rtnl(errors::kNotSupp);
    if (link.kind == LinkKind::loopback) return errors::rtnl(errors::kInval);
    if (link.kind == LinkKind::bridge) return errors::extack("Can not enslave a bridge to a bridge");
    link.master = master;
    br->had_port = true;  // from now on its carrier comes from its ports
    bridge_mtu_adjust(n, master);
    bridge_mac_adjust(n, master);
    return std::nullopt;
}

void NetState::release_port(Namespace& n, Link& port) {
    const int bridge = port.master;
    port.master = 0;
    bridge_mtu_adjust(n, bridge);
    bridge_mac_adjust(n, bridge);
}

// br_mtu_auto_adjust: the smallest MTU of the ports, 1500 without ports, unless the
// bridge's own MTU was set with `ip link set`.
void NetState::bridge_mtu_adjust(Namespace& n, int bridge) {
    Link* br = n.link(bridge);
    if (!br || br->kind != LinkKind::bridge || br->mtu_set) return;
    uint32_t mtu = 0;
    for (const auto& l : n.links)
        if (l.master == bridge && (mtu == 0 || l.mtu < mtu)) mtu = l.mtu;
    br->mtu = mtu ? mtu : 1500;
}

Link& NetState::move_link(Namespace& from, int ifindex, Namespace& to, const std::string& new_name) {
    // dev_change_net_namespace: the device is closed, unregistered (routes and
    // addresses go) and registered again in the target, keeping its ifindex if free.
    // It arrives under its new name: the old one may be taken there.
    Link* link = from.link(ifindex);
    if (link->master) release_port(from, *link);  // NETDEV_UNREGISTER: br_del_if
    link_went_down(from, *link);
    while (!link->addrs.empty()) remove_addr(from, *link, link->addrs.size() - 1);
    from.routes.erase_oif_if(ifindex, [](const Route&) { return true; });
    Link moved = from.take_link(ifindex);
    moved.conf.clear();  // inetdev_init in the new namespace: conf.default's, none of its own
    moved.conf_written = 0;
    moved.qdisc_attached = false;  // dev_shutdown: back to noop until opened again
    moved.name = new_name;
    const int new_index = insert_link(to, std::move(moved)).ifindex;
    Link* placed = to.link(new_index);
    if (placed->kind == LinkKind::veth) {
        if (Namespace* pn = find_ns(placed->peer_ns))
            if (Link* p = pn->link(placed->peer_ifindex)) {
                p->peer_ns = to.name;
                p->peer_ifindex = new_index;
            }
    }
    return *placed;
}

void NetState::link_went_up(Namespace& n, Link& link) {
    link.admin_up = true;
    link.qdisc_attached = true;
    // devinet.c inetdev_event(NETDEV_UP): a loopback gets 127.0.0.1/8 scope host on every
    // up, also beside other addresses (inet_insert_ifa orders it by scope, before global
    // ones), unless it already has it; and, as an address added, every conf knob its own
    // (ipv4_devconf_setall), each time.
    if (link.kind == LinkKind::loopback) link.conf_written = kAllConfWritten;
    const IfAddr loopback(Ipv4(127, 0, 0, 1), 8);
    if (link.kind == LinkKind::loopback &&
        std::none_of(link.addrs.begin(), link.addrs.end(), [&](const Address& a) { return a.addr == loopback; })) {
        size_t pos = 0;  // after the last primary of scope host or wider (as insert_position)
        for (size_t i = 0; i < link.addrs.size(); ++i)
            if (!link.addrs[i].secondary && uint8_t(RouteScope::host) <= uint8_t(link.addrs[i].scope)) pos = i + 1;
        link.addrs.insert(link.addrs.begin() + long(pos), Address{loopback, RouteScope::host, false});
        n.address_added(loopback.local());
    }
    for (const auto& a : link.addrs) add_connected_routes(n, link, a);
}

void NetState::link_went_down(Namespace& n, Link& link) {
    link.admin_up = false;
    // fib_sync_down_dev: every route through the device goes, except host-scope ones.
    n.routes.erase_oif_if(link.ifindex, [](const Route& r) { return r.scope != RouteScope::host; });
}

}  // namespace vethlab
