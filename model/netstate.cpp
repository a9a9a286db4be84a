// Namespaces, their indexes (devices by name, local addresses), carrier and peers.
#include "model/netstate.hpp"

#include <algorithm>
#include <cassert>

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

}  // namespace

const Address* Link::primary_for(Ipv4 a) const {
    for (const auto& ad : addrs)
        if (!ad.secondary && ad.addr.prefix().contains(a)) return &ad;
    return nullptr;
}

uint32_t Namespace::name_tag(std::string_view name) {
    uint32_t h = 2166136261u;  // FNV-1a: names are at most 15 bytes
    for (char c : name) h = (h ^ uint8_t(c)) * 16777619u;
    return h;
}

Link* Namespace::link(std::string_view n) {
    Link* found = nullptr;
    ifindex_by_name_.find(name_tag(n), [&](uint32_t ifindex) {
        Link* l = link(int(ifindex));
        if (!l || l->name != n) return false;
        found = l;
        return true;
    });
    return found;
}
const Link* Namespace::link(std::string_view n) const { return const_cast<Namespace*>(this)->link(n); }
Link* Namespace::link(int ifindex) {
    // Devices mostly keep the ifindex they were created with, 1, 2, 3...: try there first.
    const size_t guess = size_t(ifindex) - 1;
    if (guess < links.size() && links[guess].ifindex == ifindex) return &links[guess];
    if (links.empty() || ifindex > links.back().ifindex) return nullptr;  // as for the next new one
    auto it = std::lower_bound(links.begin(), links.end(), ifindex,
                               [](const Link& l, int i) { return l.ifindex < i; });
    return it != links.end() && it->ifindex == ifindex ? &*it : nullptr;
}
const Link* Namespace::link(int ifindex) const { return const_cast<Namespace*>(this)->link(ifindex); }

std::string Namespace::ifname(int ifindex) const {
    const Link* l = link(ifindex);
    return l ? l->name : std::string();
}

std::vector<const Link*> Namespace::ports(const Link& bridge) const {
    std::vector<const Link*> out;
    if (bridge.kind != LinkKind::bridge) return out;
    for (const auto& l : links)
        if (l.master == bridge.ifindex) out.push_back(&l);
    return out;
}

bool Namespace::has_local_address(Ipv4 a) const { return local_addresses_.find(a.value()) != nullptr; }

void Namespace::prefetch_local(Ipv4 a) const {
    local_addresses_.prefetch(a.value());
    routes.prefetch(kTableLocal, Prefix(a, 32));
}

bool Namespace::operator==(const Namespace& o) const {
    return name == o.name && links == o.links && routes == o.routes && sysctls == o.sysctls &&
           next_ifindex == o.next_ifindex;
}

Link& Namespace::add_link(Link l) {
    assert(!link(l.name) && !link(l.ifindex));
    ifindex_by_name_.insert(name_tag(l.name), uint32_t(l.ifindex));
    if (links.empty() || links.back().ifindex < l.ifindex) return links.emplace_back(std::move(l));
    auto it = std::lower_bound(links.begin(), links.end(), l.ifindex,
                               [](const Link& x, int i) { return x.ifindex < i; });
    return *links.insert(it, std::move(l));
}

Link Namespace::take_link(int ifindex) {
    auto it = std::lower_bound(links.begin(), links.end(), ifindex,
                               [](const Link& x, int i) { return x.ifindex < i; });
    assert(it != links.end() && it->ifindex == ifindex);
    ifindex_by_name_.erase(name_tag(it->name), [&](uint32_t i) { return int(i) == ifindex; });
    Link out = std::move(*it);
    links.erase(it);
    return out;
}

void Namespace::rename_link(Link& l, std::string new_name) {
    if (new_name == l.name) return;
    assert(!link(new_name));
    ifindex_by_name_.erase(name_tag(l.name), [&](uint32_t i) { return int(i) == l.ifindex; });
    ifindex_by_name_.insert(name_tag(new_name), uint32_t(l.ifindex));
    l.name = std::move(new_name);
}

void Namespace::address_added(Ipv4 local) {
    if (uint32_t* holders = local_addresses_.find(local.value())) ++*holders;
    else local_addresses_.insert(local.value(), 1);
}

void Namespace::address_removed(Ipv4 local) {
    uint32_t* holders = local_addresses_.find(local.value());
    assert(holders);
    if (--*holders == 0) local_addresses_.erase(local.value());
}

NetState::NetState() {
    Namespace init;
    init.name = kInitNs;
    insert_link(init, make_lo());
    Namespace& ns = ns_.emplace(kInitNs, std::move(init)).first->second;
    index_ns(ns);
    link_went_up(ns, *ns.link("lo"));
}

NetState::NetState(const NetState& o) : ns_(o.ns_), mac_counter_(o.mac_counter_) { reindex_ns(); }

NetState& NetState::operator=(const NetState& o) {
    if (this != &o) {
        ns_ = o.ns_;
        mac_counter_ = o.mac_counter_;
        reindex_ns();
    }
    return *this;
}

bool NetState::operator==(const NetState& o) const { return ns_ == o.ns_ && mac_counter_ == o.mac_counter_; }

void NetState::index_ns(Namespace& n) {
    uint32_t slot = uint32_t(ns_slots_.size());
    if (free_ns_slots_.empty()) {
        ns_slots_.push_back(&n);
    } else {
        slot = free_ns_slots_.back();
        free_ns_slots_.pop_back();
        ns_slots_[slot] = &n;
    }
    ns_by_name_.insert(Namespace::name_tag(n.name), slot);
}

void NetState::unindex_ns(const Namespace& n) {
    const uint32_t tag = Namespace::name_tag(n.name);
    const uint32_t slot = *ns_by_name_.find(tag, [&](uint32_t s) { return ns_slots_[s] == &n; });
    ns_by_name_.erase(tag, [slot](uint32_t s) { return s == slot; });
    ns_slots_[slot] = nullptr;
    free_ns_slots_.push_back(slot);
}

void NetState::reindex_ns() {
    ns_by_name_ = TagTable();
    ns_slots_.clear();
    free_ns_slots_.clear();
    for (auto& [name, n] : ns_) index_ns(n);
}

std::optional<std::string> NetState::apply(const EditOp& op) {
    return std::visit(
        [this](const auto& e) {
            auto err = apply_op(e);
            // Tables made by the routes the edit added (an address's, a device's coming up).
            if constexpr (requires { e.ns; })
                if (!err)
                    if (Namespace* n = find_ns(e.ns)) note_tables(*n);
            return err;
        },
        op);
}

void NetState::note_table(Namespace& n, uint32_t table) {
    n.fib_tables.insert(table);
    if (table == kTableLocal) n.fib_tables.insert(kTableMain);
    if (table == kTableMain) n.main_local_tables |= 1;
    if (table == kTableLocal) n.main_local_tables |= 3;
}

void NetState::note_tables(Namespace& n) {
    // After every edit: the tables present, not every route (a mesh namespace holds
    // thousands, and a scan per edit made reading a 1000-namespace mesh quadratic).
    n.routes.for_each_table([&](uint32_t table) {
        if (!n.has_table(table)) note_table(n, table);
    });
}

const Namespace* NetState::ns(std::string_view name) const {
    const uint32_t* slot =
        ns_by_name_.find(Namespace::name_tag(name), [&](uint32_t s) { return ns_slots_[s]->name == name; });
    return slot ? ns_slots_[*slot] : nullptr;
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
        case LinkKind::bridge:  // br_port_carrier_check: a port in forwarding state (no STP)
            if (!link.had_port) return true;  // the carrier it was created with, until a port comes
            for (const auto& l : n.links)
                if (l.master == link.ifindex && l.admin_up && carrier(n, l)) return true;
            return false;
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
    return ns.add_link(std::move(link));
}

std::optional<std::string> NetState::apply_op(const NetnsAdd& e) {
    if (auto why = check_netns_name(e.name)) return *why;
    if (ns(e.name))
        return fmt::format("Cannot create namespace file \"/run/netns/{}\": File exists", e.name);
    Namespace n;
    n.name = e.name;
    insert_link(n, make_lo());
    index_ns(ns_.emplace(e.name, std::move(n)).first->second);
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const NetnsDel& e) {
    Namespace* n = find_ns(e.name);
    if (!n || e.name.empty())
        return fmt::format("Cannot remove namespace file \"/run/netns/{}\": No such file or directory", e.name);
    while (!n->links.empty()) remove_link(*n, n->links.back().ifindex);
    unindex_ns(*n);
    ns_.erase(e.name);
    return std::nullopt;
}

}  // namespace vethlab
