// Namespaces and links: creation, deletion, moves, renames, admin state, carrier.
#include "model/netstate.hpp"

#include <algorithm>

#include "model/names.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

Link make_lo() {
    Link lo;
    lo.name = "lo";
    lo.kind = LinkKind::loopback;
    lo.mtu = 65536;
    return lo;
}

std::optional<std::string> check_mtu(const Link& link, uint32_t mtu) {
    if (link.kind == LinkKind::loopback) return std::nullopt;
    if (mtu < 68) return errors::extack("mtu less than device minimum");
    if (mtu > 65535) return errors::extack("mtu greater than device maximum");
    return std::nullopt;
}

}  // namespace

const Address* Link::primary_for(Ipv4 a) const {
    for (const auto& ad : addrs)
        if (!ad.secondary && ad.addr.prefix().contains(a)) return &ad;
    return nullptr;
}

Link* Namespace::link(std::string_view n) {
    for (auto& l : links)
        if (l.name == n) return &l;
    return nullptr;
}
const Link* Namespace::link(std::string_view n) const { return const_cast<Namespace*>(this)->link(n); }
Link* Namespace::link(int ifindex) {
    auto it = std::lower_bound(links.begin(), links.end(), ifindex,
                               [](const Link& l, int i) { return l.ifindex < i; });
    return it != links.end() && it->ifindex == ifindex ? &*it : nullptr;
}
const Link* Namespace::link(int ifindex) const { return const_cast<Namespace*>(this)->link(ifindex); }

std::string Namespace::ifname(int ifindex) const {
    const Link* l = link(ifindex);
    return l ? l->name : std::string();
}

bool Namespace::has_local_address(Ipv4 a) const {
    for (const auto& l : links)
        for (const auto& ad : l.addrs)
            if (ad.addr.local() == a) return true;
    return false;
}

NetState::NetState() {
    Namespace init;
    init.name = kInitNs;
    insert_link(init, make_lo());
    ns_.emplace(kInitNs, std::move(init));
    Namespace& ns = ns_.at(kInitNs);
    link_went_up(ns, *ns.link("lo"));
}

std::optional<std::string> NetState::apply(const EditOp& op) {
    return std::visit([this](const auto& e) { return apply_op(e); }, op);
}

const Namespace* NetState::ns(std::string_view name) const {
    auto it = ns_.find(std::string(name));
    return it == ns_.end() ? nullptr : &it->second;
}
Namespace* NetState::find_ns(std::string_view name) { return const_cast<Namespace*>(ns(name)); }

std::optional<std::string> NetState::need_ns(std::string_view name) const {
    if (ns(name)) return std::nullopt;
    return errors::no_netns(name);
}

bool NetState::carrier(const Namespace& n, const Link& link) const {
    if (!link.admin_up) return false;
    switch (link.kind) {
        case LinkKind::loopback:
        case LinkKind::dummy: return true;
        case LinkKind::tap: return false;  // persistent tap, no process attached
        case LinkKind::veth: {
            auto p = peer(n, link);
            return p && p->second->admin_up;
        }
    }
    return false;
}

std::optional<std::pair<const Namespace*, const Link*>> NetState::peer(const Namespace&, const Link& link) const {
    if (link.kind != LinkKind::veth) return std::nullopt;
    const Namespace* pn = ns(link.peer_ns);
    const Link* pl = pn ? pn->link(link.peer_ifindex) : nullptr;
    if (!pl) return std::nullopt;
    return std::make_pair(pn, pl);
}

Link& NetState::insert_link(Namespace& ns, Link link) {
    if (link.ifindex == 0 || ns.link(link.ifindex)) {
        while (ns.link(ns.next_ifindex)) ++ns.next_ifindex;
        link.ifindex = ns.next_ifindex++;
    }
    if (link.kind != LinkKind::loopback && link.mac.is_zero()) link.mac = Mac::local(++mac_counter_);
    for (const auto& [key, value] : ns.sysctls) {  // devices take conf/default
        static const std::string prefix = "net.ipv4.conf.default.";
        if (key.starts_with(prefix)) link.conf[key.substr(prefix.size())] = value;
    }
    auto it = std::lower_bound(ns.links.begin(), ns.links.end(), link.ifindex,
                               [](const Link& l, int i) { return l.ifindex < i; });
    return *ns.links.insert(it, std::move(link));
}

std::optional<std::string> NetState::apply_op(const NetnsAdd& e) {
    if (auto why = check_netns_name(e.name)) return *why;
    if (ns(e.name))
        return fmt::format("Cannot create namespace file \"/run/netns/{}\": File exists", e.name);
    Namespace n;
    n.name = e.name;
    insert_link(n, make_lo());
    ns_.emplace(e.name, std::move(n));
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const NetnsDel& e) {
    Namespace* n = find_ns(e.name);
    if (!n || e.name.empty())
        return fmt::format("Cannot remove namespace file \"/run/netns/{}\": No such file or directory", e.name);
    while (!n->links.empty()) remove_link(*n, n->links.back().ifindex);
    ns_.erase(e.name);
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const LinkAdd& e) {
    if (auto err = need_ns(e.ns)) return err;
    const std::string& where = e.netns.value_or(e.ns);
    const std::string& peer_where = e.peer_netns.value_or(e.ns);
    if (!ns(where)) return errors::bad_netns_arg(where);
    if (e.kind == LinkKind::veth && !ns(peer_where)) return errors::bad_netns_arg(peer_where);
    if (auto why = check_ifname(e.name)) return *why;
    if (ns(where)->link(e.name)) return errors::rtnl(errors::kExists);
    if (e.kind == LinkKind::loopback) return errors::extack("Unknown device type");

    Link link;
    link.name = e.name;
    link.kind = e.kind;
    link.mtu = e.mtu.value_or(1500);
    if (auto err = check_mtu(link, link.mtu)) return err;
    if (e.mac) link.mac = *e.mac;
    if (e.kind != LinkKind::veth) {
        Link& made = insert_link(*find_ns(where), std::move(link));
        if (e.up.value_or(false)) link_went_up(*find_ns(where), made);
        return std::nullopt;
    }

    Link peer;
    peer.kind = LinkKind::veth;
    peer.name = e.peer;
    if (peer.name.empty()) {  // the kernel names it veth%d
        for (int i = 0; peer.name.empty() || ns(peer_where)->link(peer.name); ++i) peer.name = fmt::format("veth{}", i);
    }
    if (auto why = check_ifname(peer.name)) return *why;
    if (ns(peer_where)->link(peer.name) || (where == peer_where && peer.name == e.name))
        return errors::rtnl(errors::kExists);
    peer.mtu = e.peer_mtu.value_or(link.mtu);
    if (auto err = check_mtu(peer, peer.mtu)) return err;
    if (e.peer_mac) peer.mac = *e.peer_mac;

    // Both ends may land in one namespace: look them up again after both inserts.
    const int a_index = insert_link(*find_ns(where), std::move(link)).ifindex;
    const int b_index = insert_link(*find_ns(peer_where), std::move(peer)).ifindex;
    Link& a = *find_ns(where)->link(a_index);
    a.peer_ns = peer_where;
    a.peer_ifindex = b_index;
    Link& b = *find_ns(peer_where)->link(b_index);
    b.peer_ns = where;
    b.peer_ifindex = a_index;
    if (e.up.value_or(false)) link_went_up(*find_ns(where), *find_ns(where)->link(a_index));
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const LinkDel& e) {
    if (auto err = need_ns(e.ns)) return err;
    Namespace& n = *find_ns(e.ns);
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
    std::erase_if(n.routes, [&](const Route& r) { return r.oif == ifindex; });
    const bool is_veth = link->kind == LinkKind::veth;
    const std::string peer_ns = link->peer_ns;
    const int peer_ifindex = link->peer_ifindex;
    std::erase_if(n.links, [&](const Link& l) { return l.ifindex == ifindex; });
    if (is_veth) {
        if (Namespace* pn = find_ns(peer_ns)) {
            if (Link* p = pn->link(peer_ifindex); p && p->kind == LinkKind::veth) {
                p->kind = LinkKind::dummy;  // stop the recursion from coming back here
                remove_link(*pn, peer_ifindex);
            }
        }
    }
}

std::optional<std::string> NetState::apply_op(const LinkSet& e) {
    if (auto err = need_ns(e.ns)) return err;
    Namespace* n = find_ns(e.ns);
    Link* link = n->link(e.name);
    if (!link) return errors::no_device(e.name);
    const bool moving = e.netns && *e.netns != e.ns;
    if (e.netns && !ns(*e.netns)) return errors::bad_netns_arg(*e.netns);
    if (moving && link->kind == LinkKind::loopback) return errors::extack("The interface netns is immutable");
    Namespace* dest = e.netns ? find_ns(*e.netns) : n;
    const std::string final_name = e.new_name.value_or(link->name);
    if (auto why = check_ifname(final_name)) return *why;
    if (const Link* other = dest->link(final_name); other && other != link) return errors::rtnl(errors::kExists);
    if (e.mtu)
        if (auto err = check_mtu(*link, *e.mtu)) return err;

    if (moving) {
        link = &move_link(*n, link->ifindex, *dest);
        n = dest;
    }
    if (e.new_name) link->name = *e.new_name;
    if (e.mac) link->mac = *e.mac;
    if (e.mtu) link->mtu = *e.mtu;
    if (e.up && *e.up && !link->admin_up) link_went_up(*n, *link);
    if (e.up && !*e.up && link->admin_up) link_went_down(*n, *link);
    return std::nullopt;
}

Link& NetState::move_link(Namespace& from, int ifindex, Namespace& to) {
    // dev_change_net_namespace: the device is closed, unregistered (routes and
    // addresses go) and registered again in the target, keeping its ifindex if free.
    Link* link = from.link(ifindex);
    link_went_down(from, *link);
    while (!link->addrs.empty()) remove_addr(from, *link, link->addrs.size() - 1);
    std::erase_if(from.routes, [&](const Route& r) { return r.oif == ifindex; });
    Link moved = std::move(*link);
    moved.conf.clear();
    std::erase_if(from.links, [&](const Link& l) { return l.ifindex == ifindex; });
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
    if (link.kind == LinkKind::loopback && link.addrs.empty()) {
        link.addrs.push_back(Address{IfAddr(Ipv4(127, 0, 0, 1), 8), RouteScope::host, false});
        add_connected_routes(n, link, link.addrs.back());
        return;
    }
    for (const auto& a : link.addrs) add_connected_routes(n, link, a);
}

void NetState::link_went_down(Namespace& n, Link& link) {
    link.admin_up = false;
    // fib_sync_down_dev: every route through the device goes, except host-scope ones.
    std::erase_if(n.routes, [&](const Route& r) { return r.oif == link.ifindex && r.scope != RouteScope::host; });
}

}  // namespace vethlab
