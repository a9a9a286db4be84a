// Bridges (net/bridge): br_handle_frame on a port -- learning, local delivery, forwarding,
// flooding, never back out of the ingress port -- br_dev_xmit for what the namespace
// sends through the bridge device, and the forwarding database with ageing. No STP: a
// port forwards as soon as it and its bridge are up and it has carrier
// (br_make_forwarding with BR_NO_STP). A frame received on a port never reaches the
// port's own IPv4 stack: the bridge's rx_handler takes it.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sim/kernel.hpp"

namespace vethlab::sim {
namespace {

void push_once(std::vector<int>& ports, int port) {
    if (ports.empty() || ports.back() != port) ports.push_back(port);
}

}  // namespace

Kernel::BridgePorts& Kernel::br_ports(int ns, const Link& bridge) {
    if (BridgePorts& cached = rt(ns).bridges[bridge.ifindex].ports; cached.built) return cached;
    BridgePorts p;
    p.built = true;
    const Namespace& n = *nsp(ns);
    p.local.emplace(mac_key(bridge.mac), 0);
    for (const auto& l : n.links) {
        if (l.master != bridge.ifindex) continue;
        p.local.emplace(mac_key(l.mac), l.ifindex);
        if (!bridge.admin_up || !l.admin_up || !st_.carrier(n, l)) continue;
        p.forwarding.push_back(l.ifindex);
        auto far = l.kind == LinkKind::veth ? st_.peer(n, l) : std::nullopt;
        if (!far) continue;  // a dummy port drops what it is given
        const Link& end = *far->second;
        if (end.master) {
            p.transit.push_back(l.ifindex);
            continue;
        }
        p.by_mac[mac_key(end.mac)].push_back(l.ifindex);
        for (const auto& other : far->first->links)
            for (const auto& a : other.addrs) push_once(p.by_address[a.addr.local().value()], l.ifindex);
    }
    BridgePorts& slot = rt(ns).bridges[bridge.ifindex].ports;
    slot = std::move(p);
    return slot;
}

void Kernel::br_handle_frame(int ns, const Link& port, const Frame& frame) {
    const Namespace* n = nsp(ns);
    const Link* br = n->link(port.master);
    if (!br || br->kind != LinkKind::bridge || !br->admin_up) return;  // the port is disabled
    const BridgePorts& ports = br_ports(ns, *br);
    const uint64_t src = mac_key(frame.src);
    if (!frame.src.is_multicast() && !ports.local.count(src)) {  // br_fdb_update
        Bridge& b = rt(ns).bridges[br->ifindex];
        auto [it, fresh] = b.fdb.try_emplace(src);
        // An entry past the ageing time is gone on the kernel (br_fdb_cleanup): a new one.
        if (fresh || now() >= it->second.updated + kFdbAgeing) it->second.seq = ++b.next_seq;
        it->second.port = port.ifindex;
        it->second.updated = now();
    }
    const int bridge = br->ifindex;
    if (frame.dst.is_multicast()) {
        rx(ns, bridge, frame);  // a copy goes up the bridge device
        return br_flood(ns, bridge, port.ifindex, frame);
    }
    if (ports.local.count(mac_key(frame.dst))) {  // BR_FDB_LOCAL: for this host
        Frame up = frame;
        up.dst = br->mac;
        return rx(ns, bridge, up);
    }
    br_forward(ns, *br, port.ifindex, frame);
}

void Kernel::br_dev_xmit(int ns, const Link& bridge, const Frame& frame) {
    if (frame.dst.is_multicast()) return br_flood(ns, bridge.ifindex, 0, frame);
    if (br_ports(ns, bridge).local.count(mac_key(frame.dst))) return;
    br_forward(ns, bridge, 0, frame);
}

// A known destination goes to its port (and nowhere when that is the ingress port); an
// unknown or aged-out one is flooded.
void Kernel::br_forward(int ns, const Link& bridge, int ingress, const Frame& frame) {
    auto& fdb = rt(ns).bridges[bridge.ifindex].fdb;
    auto it = fdb.find(mac_key(frame.dst));
    if (it != fdb.end() && now() < it->second.updated + kFdbAgeing) {
        const int to = it->second.port;
        if (to != ingress) xmit(ns, to, frame);
        return;
    }
    if (it != fdb.end()) fdb.erase(it);  // br_fdb_cleanup
    br_flood(ns, bridge.ifindex, ingress, frame);
}

void Kernel::br_flood(int ns, int bridge, int ingress, const Frame& frame) {
    const Link* br = nsp(ns)->link(bridge);
    if (!br) return;
    const BridgePorts& p = br_ports(ns, *br);
    // Copied: sending may intern a namespace and move the runtimes.
    std::vector<int> to;
    const Arp* arp = std::get_if<Arp>(&frame.payload);
    if (arp && arp->request && frame.dst == kBroadcastMac) {
        if (auto it = p.by_address.find(arp->tpa.value()); it != p.by_address.end()) to = it->second;
        to.insert(to.end(), p.transit.begin(), p.transit.end());
    } else if (!frame.dst.is_multicast()) {
        if (auto it = p.by_mac.find(mac_key(frame.dst)); it != p.by_mac.end()) to = it->second;
        to.insert(to.end(), p.transit.begin(), p.transit.end());
    } else {
        to = p.forwarding;
    }
    trace([&] {
        return fmt::format("{}: {} floods the frame to {} {}", name(ns), br->name, p.forwarding.size() - (ingress != 0),
                           p.forwarding.size() - (ingress != 0) == 1 ? "port" : "ports");
    });
    for (int port : to)
        if (port != ingress) xmit(ns, port, frame);
}

std::vector<std::pair<Mac, int>> Kernel::fdb_learned(const std::string& ns, int bridge) const {
    std::vector<std::pair<Mac, int>> out;
    auto id = ids_.find(ns);
    if (id == ids_.end()) return out;
    const auto& bridges = rt_[size_t(id->second)].bridges;
    auto b = bridges.find(bridge);
    if (b == bridges.end()) return out;
    std::vector<std::pair<uint64_t, std::pair<Mac, int>>> live;
    for (const auto& [key, e] : b->second.fdb) {
        if (now() >= e.updated + kFdbAgeing) continue;
        std::array<uint8_t, 6> bytes{};
        for (int i = 5; i >= 0; --i) bytes[size_t(i)] = uint8_t(key >> (8 * (5 - i)));
        live.push_back({e.seq, {Mac(bytes), e.port}});
    }
    std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [seq, entry] : live) out.push_back(entry);
    return out;
}

// Ports that went away, down or lost carrier (or whose bridge went down) are flushed
// from the database (br_fdb_delete_by_port); what a flood needs is found again.
void Kernel::br_after_config_change(Runtime& r) {
    const Namespace* n = r.ns;
    for (auto it = r.bridges.begin(); it != r.bridges.end();) {
        const Link* br = n ? n->link(it->first) : nullptr;
        if (!br || br->kind != LinkKind::bridge) {
            it = r.bridges.erase(it);
            continue;
        }
        it->second.ports = BridgePorts{};
        std::erase_if(it->second.fdb, [&](const auto& kv) {
            const Link* port = n->link(kv.second.port);
            return !port || port->master != br->ifindex || !br->admin_up || !port->admin_up || !st_.carrier(*n, *port);
        });
        ++it;
    }
}

}  // namespace vethlab::sim
