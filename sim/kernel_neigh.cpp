// Devices and neighbour resolution: dev_queue_xmit over veth pairs, the ARP state
// machine (neighbour.c __neigh_event_send / neigh_timer_handler, arp.c arp_solicit /
// arp_process), and the flushes that configuration changes cause.
#include <algorithm>

#include <fmt/format.h>

#include "sim/kernel.hpp"

namespace vethlab::sim {

void Kernel::xmit(int ns, int ifindex, Frame frame) {
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (dev && dev->kind == LinkKind::bridge) {
        if (dev->admin_up) br_dev_xmit(ns, *dev, frame);
        return;
    }
    if (!dev || dev->kind != LinkKind::veth || !dev->admin_up) {
        if (dev && dev->kind == LinkKind::tap && dev->admin_up)
            trace([&] {
                return fmt::format("{}: {} has no carrier: the frame is dropped before the wire", name(ns), dev->name);
            });
        return;  // a tap without a reader has no carrier; dummy drops; lo goes by loopback()
    }
    DevCache& cache = dev_cache(ns, ifindex);
    if (!cache.has_peer) {
        std::pair<int, int> found{-1, 0};
        if (auto peer = st_.peer(*n, *dev)) found = {id_of(peer->first->name), peer->second->ifindex};
        DevCache& c = dev_cache(ns, ifindex);  // id_of may have moved the runtimes
        c.peer = found;
        c.has_peer = true;
    }
    const auto [pns, pif] = dev_cache(ns, ifindex).peer;
    const Link* peer = pns >= 0 ? nsp(pns)->link(pif) : nullptr;
    if (!peer || !peer->admin_up) {  // veth carrier: both ends up
        trace([&] {
            return fmt::format("{}: {} has no carrier (its peer is down): the frame is dropped before the wire",
                               name(ns), dev->name);
        });
        return;
    }
    prefetch_rx(pns, pif, frame);
    q_.after(kHopDelay, [this, pns = pns, pif = pif, frame = std::move(frame)] { rx(pns, pif, frame); });
}

// A frame's receiver runs a hop later, after the other frames of the hop (a wave of
// probes): the entries it will look for there are fetched now, so that a wave's misses on
// namespaces not visited for a while overlap instead of following one another. Only a
// hint: nothing is read or changed. At n = 1000 (a million probes) the probe phase went
// from 2.8-3.8 s (median 3.3) to 2.4-3.1 s (median 2.5), five runs each in turns.
void Kernel::prefetch_rx(int ns, int ifindex, const Frame& frame) const {
    const Runtime& r = rt_[size_t(ns)];
    if (!r.ns) return;
    Ipv4 to, from;  // the address asked for, and the sender's
    if (const Arp* arp = std::get_if<Arp>(&frame.payload)) {
        to = arp->tpa;
        from = arp->spa;
    } else {
        const Ipv4Packet& pkt = std::get<Ipv4Packet>(frame.payload);
        to = pkt.dst;
        from = pkt.src;
    }
    r.ns->prefetch_local(to);                            // is it ours, and the input route
    r.ns->routes.prefetch_lookup(kTableLocal, from);     // the route back
    r.ns->routes.prefetch_lookup(kTableMain, from);
    r.neigh.prefetch(neigh_key(ifindex, from));             // the sender's entry
    if (size_t(ifindex) < r.dev.size()) __builtin_prefetch(&r.dev[size_t(ifindex)]);
}

void Kernel::rx(int ns, int ifindex, const Frame& frame) {
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (!dev || !dev->admin_up) return;
    if (dev->master) return br_handle_frame(ns, *dev, frame);         // the bridge's rx_handler
    if (frame.dst != dev->mac && frame.dst != kBroadcastMac) return;  // for another host
    if (const Arp* arp = std::get_if<Arp>(&frame.payload)) arp_rcv(ns, *dev, *arp);
    else ip_rcv(ns, *dev, std::get<Ipv4Packet>(frame.payload), frame.dst == kBroadcastMac);
}

// neigh_alloc: a new entry was never confirmed (confirmed lies two base times back).
// arp_constructor types the address through the local table (inet_addr_type_dev_table);
// while the namespace has no local table yet (no address ever, lo never up) every
// address counts as broadcast: the entry is NOARP with the broadcast MAC, never
// resolved, hidden by `ip neigh`, and frames through it go to ff:ff:ff:ff:ff:ff (found
// by fuzz-diff, seed 1139, tests/corpus/neigh-noarp-without-local-table.sh).
Kernel::Neighbour& Kernel::neigh_entry(int ns, uint64_t key, const Link& dev) {
    auto [e, added] = rt(ns).neigh.try_emplace(key);
    if (added) {
        e->used = now();
        e->confirmed = now() - 2 * conf(ns, dev).reachable;
        if (!nsp(ns)->has_table(kTableLocal)) {
            e->state = NudState::noarp;
            e->mac = kBroadcastMac;
        }
    }
    return *e;
}

std::vector<Ipv4Packet>& Kernel::neigh_queue(Neighbour& e) {
    if (e.queue == 0) {
        if (free_queues_.empty()) {
            queues_.emplace_back();
            e.queue = uint32_t(queues_.size());
        } else {
            e.queue = free_queues_.back() + 1;
            free_queues_.pop_back();
        }
    }
    return queues_[e.queue - 1];
}

std::vector<Ipv4Packet> Kernel::neigh_take_queue(Neighbour& e) {
    if (e.queue == 0) return {};
    std::vector<Ipv4Packet> out = std::move(queues_[e.queue - 1]);
    neigh_release_queue(e);
    return out;
}

void Kernel::neigh_release_queue(Neighbour& e) {
    if (e.queue == 0) return;
    queues_[e.queue - 1].clear();
    free_queues_.push_back(e.queue - 1);
    e.queue = 0;
}

void Kernel::neigh_arm(int ns, uint64_t key, Neighbour& e, Time when) {
    e.timer = ++timer_generation_;
    e.timer_at = when;
    const uint64_t gen = e.timer;
    q_.at(when, [this, ns, key, gen] { neigh_timer(ns, key, gen); });
}

// neigh_output / neigh_resolve_output / __neigh_event_send: REACHABLE sends at once (the
// cached header; `used` is not touched); STALE sends and starts the DELAY timer; a new or
// FAILED entry queues the packet and starts resolving.
void Kernel::neigh_output(int ns, int ifindex, Ipv4 nexthop, Ipv4Packet pkt) {
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (!dev) return;
    const uint64_t key = neigh_key(ifindex, nexthop);
    Neighbour& e = neigh_entry(ns, key, *dev);
    switch (e.state) {
        case NudState::reachable:
        case NudState::permanent:
        case NudState::noarp:
            xmit(ns, ifindex, Frame{dev->mac, e.mac, std::move(pkt)});
            return;
        case NudState::stale:
            e.state = NudState::delay;
            neigh_arm(ns, key, e, now() + conf(ns, *dev).delay_probe);
            trace([&] {
                return fmt::format("{}: neighbour {} on {} was STALE: used again, DELAY", name(ns), nexthop.str(),
                                   dev->name);
            });
            [[fallthrough]];
        case NudState::delay:
        case NudState::probe:
            e.used = now();
            xmit(ns, ifindex, Frame{dev->mac, e.mac, std::move(pkt)});
            return;
        case NudState::incomplete:
            if (e.probes > 0) {  // resolution in progress: wait in the queue
                e.used = now();
                neigh_queue(e).push_back(std::move(pkt));
                return;
            }
            break;
        default: break;
    }
    // A new or FAILED entry starts resolving: first probe now, then every retrans_time.
    e.state = NudState::incomplete;
    e.used = now();
    std::vector<Ipv4Packet>& queue = neigh_queue(e);
    queue.clear();
    queue.push_back(std::move(pkt));
    e.probes = 1;
    neigh_arm(ns, key, e, now() + conf(ns, *dev).retrans);
    arp_solicit(ns, *dev, nexthop, &queue.back());
}

// __neigh_event_send without a packet (a redirect's new gateway): a new or FAILED entry
// starts resolving as for a packet, with nothing queued; one resolving already is left alone.
void Kernel::neigh_event_send(int ns, int ifindex, Ipv4 ip) {
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (!dev) return;
    const uint64_t key = neigh_key(ifindex, ip);
    Neighbour& e = neigh_entry(ns, key, *dev);
    if (e.state != NudState::failed && !(e.state == NudState::incomplete && e.probes == 0)) return;
    e.state = NudState::incomplete;
    e.used = now();
    neigh_release_queue(e);
    e.probes = 1;
    neigh_arm(ns, key, e, now() + conf(ns, *dev).retrans);
    arp_solicit(ns, *dev, ip, nullptr);
}

// PROBE: unicast to the cached address, ucast_solicit times, retrans_time apart. Each probe
// counts as a use: on the kernel (6.18) an entry whose probes are answered goes on cycling
// REACHABLE -> DELAY -> PROBE whenever reachable_time is shorter than delay_first_probe_time.
void Kernel::neigh_probe(int ns, uint64_t key, Neighbour& e, const Link& dev) {
    const Ipv4 ip(uint32_t(key & 0xffffffffu));
    ++e.probes;
    e.used = now();
    neigh_arm(ns, key, e, now() + conf(ns, dev).retrans);
    arp_solicit(ns, dev, ip, nullptr, e.mac);
}

// neigh_timer_handler.
void Kernel::neigh_timer(int ns, uint64_t key, uint64_t generation) {
    Neighbour* found = rt(ns).neigh.find(key);
    if (!found || found->timer != generation) return;
    Neighbour& e = *found;
    e.timer_at = -1;  // fired; re-armed below when the state goes on
    e.fired_at = now();
    const int ifindex = int(key >> 32);
    const Ipv4 ip(uint32_t(key & 0xffffffffu));
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (!dev) return;
    const DevConf& c = conf(ns, *dev);
    switch (e.state) {
        case NudState::reachable:
            if (now() < e.confirmed + c.reachable) return neigh_arm(ns, key, e, e.confirmed + c.reachable);
            if (now() <= e.used + c.delay_probe) {
                e.state = NudState::delay;
                trace([&] {
                    return fmt::format("{}: neighbour {} on {} not confirmed for {} ms but used lately: DELAY",
                                       name(ns), ip.str(), dev->name, c.reachable / kMillisecond);
                });
                return neigh_arm(ns, key, e, now() + c.delay_probe);
            }
            e.state = NudState::stale;
            trace([&] {
                return fmt::format("{}: neighbour {} on {} not confirmed for {} ms: STALE", name(ns), ip.str(),
                                   dev->name, c.reachable / kMillisecond);
            });
            return;
        case NudState::delay:
            if (now() <= e.confirmed + c.delay_probe) {
                e.state = NudState::reachable;
                return neigh_arm(ns, key, e, e.confirmed + c.reachable);
            }
            e.state = NudState::probe;
            e.probes = 0;
            trace([&] {
                return fmt::format("{}: neighbour {} on {}: DELAY over, PROBE (unicast ARP)", name(ns), ip.str(),
                                   dev->name);
            });
            [[fallthrough]];
        case NudState::probe:
            if (e.probes < c.ucast_solicit) return neigh_probe(ns, key, e, *dev);
            break;
        case NudState::incomplete:
            if (e.probes < c.mcast_solicit) {
                ++e.probes;
                neigh_arm(ns, key, e, now() + c.retrans);
                arp_solicit(ns, *dev, ip, neigh_queue_last(e));
                return;
            }
            break;
        default: return;
    }
    e.state = NudState::failed;
    trace([&] {
        return fmt::format("{}: ARP for {} on {} failed after {} probes{}", name(ns), ip.str(), dev->name, e.probes,
                           st_.carrier(*n, *dev) ? "" : fmt::format(" ({} has no carrier)", dev->name));
    });
    const std::vector<Ipv4Packet> queued = neigh_take_queue(e);
    for (const auto& pkt : queued) icmp_send(ns, pkt, IcmpType::dest_unreach, uint8_t(UnreachCode::host));
}

void Kernel::arp_solicit(int ns, const Link& dev, Ipv4 target, const Ipv4Packet* trigger, Mac to) {
    const Namespace* n = nsp(ns);
    // arp_announce 0: the triggering packet's source if it is ours, else the device's.
    Ipv4 sender;
    if (trigger && conf(ns, dev).arp_announce == 0 && n->has_local_address(trigger->src)) sender = trigger->src;
    else sender = select_source(*n, dev, target, RouteScope::link);
    trace([&] {
        return fmt::format("{}: ARP who-has {} tell {} on {}", name(ns), target.str(), sender.str(), dev.name);
    });
    xmit(ns, dev.ifindex, Frame{dev.mac, to, Arp{true, dev.mac, sender, Mac(), target}});
}

void Kernel::arp_rcv(int ns, const Link& dev, const Arp& arp) {
    const Namespace* n = nsp(ns);
    if (arp.tpa.is_multicast() || arp.tpa.is_loopback()) return;
    if (arp.request) {
        if (!n->has_local_address(arp.tpa)) return;  // weak host: any address of the namespace
        const Route* r = st_.lookup(*n, arp.tpa);
        if (!r || r->type != RouteType::local) return;
        if (!arp.spa.is_zero() && !validate_source(ns, dev, arp.spa)) {
            trace([&] {
                return fmt::format("{}: ARP request from {} on {} ignored (rp_filter or martian source)", name(ns),
                                   arp.spa.str(), dev.name);
            });
            return;
        }
        const int ignore = conf(ns, dev).arp_ignore;
        const Address* on_dev = nullptr;
        for (const auto& a : dev.addrs)
            if (a.addr.local() == arp.tpa) on_dev = &a;
        if (ignore >= 8 || (ignore >= 1 && !on_dev) || (ignore == 2 && !on_dev->addr.prefix().contains(arp.spa))) {
            trace([&] {
                return fmt::format("{}: ARP request for {} on {} ignored (arp_ignore={})", name(ns), arp.tpa.str(),
                                   dev.name, ignore);
            });
            return;
        }
        if (!arp.spa.is_zero()) neigh_update(ns, dev.ifindex, arp.spa, arp.sha, NudState::stale);
        xmit(ns, dev.ifindex, Frame{dev.mac, arp.sha, Arp{false, dev.mac, arp.tpa, arp.sha, arp.spa}});
        return;
    }
    if (rt(ns).neigh.contains(neigh_key(dev.ifindex, arp.spa)))
        neigh_update(ns, dev.ifindex, arp.spa, arp.sha, NudState::reachable);
}

// __neigh_update: a STALE report of the binding already held changes nothing; REACHABLE
// confirms; queued packets leave once the entry is valid.
void Kernel::neigh_update(int ns, int ifindex, Ipv4 ip, Mac mac, NudState state) {
    const Namespace* n = nsp(ns);
    const Link* dev = n ? n->link(ifindex) : nullptr;
    if (!dev) return;
    const uint64_t key = neigh_key(ifindex, ip);
    Neighbour& e = neigh_entry(ns, key, *dev);
    if (e.state == NudState::noarp || e.state == NudState::permanent) return;  // only an admin changes these
    const bool valid = e.state != NudState::incomplete && e.state != NudState::failed;
    if (state == NudState::stale && valid && e.mac == mac) return;
    e.state = state;
    e.mac = mac;
    e.probes = 0;
    if (state == NudState::reachable) {
        e.confirmed = now();
        neigh_arm(ns, key, e, now() + conf(ns, *dev).reachable);
    } else {
        e.timer = ++timer_generation_;  // STALE has no timer
        e.timer_at = -1;
    }
    std::vector<Ipv4Packet> queued = neigh_take_queue(e);
    for (auto& pkt : queued) neigh_output(ns, ifindex, ip, std::move(pkt));
}

void Kernel::neigh_flush_dev(const std::string& ns, int ifindex) {
    auto it = ids_.find(ns);
    if (it == ids_.end()) return;
    rt_[size_t(it->second)].neigh.erase_if([&](uint64_t key, Neighbour& e) {
        if (int(key >> 32) != ifindex) return false;
        neigh_release_queue(e);
        return true;
    });
}

std::vector<NeighborEntry> Kernel::neighbours(const std::string& ns) {
    std::vector<NeighborEntry> out;
    auto it = ids_.find(ns);
    if (it == ids_.end()) return out;
    rt_[size_t(it->second)].neigh.for_each([&](uint64_t key, const Neighbour& e) {
        NeighborEntry n{Ipv4(uint32_t(key & 0xffffffffu)), int(key >> 32), std::nullopt, e.state, false, std::nullopt, 0};
        if (e.state != NudState::incomplete && e.state != NudState::failed) n.mac = e.mac;
        if (e.timer_at >= 0) n.next_change = e.timer_at;
        if (e.fired_at >= 0) n.last_timer = e.fired_at;
        n.confirmed = e.confirmed;
        const Namespace* ns_ptr = rt_[size_t(it->second)].ns;
        const Link* dev = ns_ptr ? ns_ptr->link(n.ifindex) : nullptr;
        if (dev) n.reachable = conf(it->second, *dev).reachable;
        out.push_back(n);
    });
    std::sort(out.begin(), out.end(), [](const NeighborEntry& a, const NeighborEntry& b) {
        return std::tie(a.ifindex, a.ip) < std::tie(b.ifindex, b.ip);
    });
    return out;
}

std::vector<Kernel::DevSnapshot> Kernel::snapshot(const Namespace* n) const {
    std::vector<DevSnapshot> out;
    if (!n) return out;
    out.reserve(n->links.size());
    for (const auto& l : n->links) out.push_back({l.ifindex, l.admin_up, l.admin_up && st_.carrier(*n, l), l.mac});
    return out;
}

const Kernel::DevSnapshot* Kernel::find_dev(const std::vector<DevSnapshot>& devs, int ifindex) {
    auto it = std::lower_bound(devs.begin(), devs.end(), ifindex,
                               [](const DevSnapshot& d, int i) { return d.ifindex < i; });
    return it != devs.end() && it->ifindex == ifindex ? &*it : nullptr;
}

void Kernel::after_config_change() {
    for (auto& runtime : rt_) {
        refresh(runtime);
        br_after_config_change(runtime);
        const Namespace* n = runtime.ns;
        runtime.dev.clear();
        runtime.sparse_dev.clear();
        runtime.plain.reset();
        runtime.own_conf.clear();
        // Flushes happen on the events, not on the state: an entry made while its
        // device had no carrier (FAILED on a tap) stays through later changes (found by
        // fuzz-diff, tests/corpus/neigh-kept-on-device-without-carrier.sh).
        std::vector<DevSnapshot> now = snapshot(n);
        auto flushed = [&](int ifindex) {
            const DevSnapshot* is = find_dev(now, ifindex);
            if (!is) return true;  // the device went away
            const DevSnapshot* was = find_dev(runtime.devs, ifindex);
            if (!was) return !is->up || !is->carrier;
            // arp_netdev_event(NETDEV_CHANGEADDR) -> neigh_changeaddr: every entry goes
            // (a bridge gaining its first port or losing its last changes its MAC).
            if (!(was->mac == is->mac)) return true;
            return (was->up && !is->up) || (was->carrier && !is->carrier);
        };
        runtime.neigh.erase_if([&](uint64_t key, Neighbour& e) {
            if (!flushed(int(key >> 32))) return false;
            neigh_release_queue(e);
            return true;
        });
        runtime.devs = std::move(now);
    }
}

}  // namespace vethlab::sim
