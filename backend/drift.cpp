#include "backend/drift.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "backend/inspect.hpp"
#include "backend/netns.hpp"
#include "model/ip_writer.hpp"

namespace vethlab::backend {
namespace {

std::string on_off(bool up) { return up ? "up" : "down"; }

std::string peer_of(const NetState& st, const Namespace& ns, const Link& l) {
    if (auto p = st.peer(ns, l)) return p->first->name + ":" + p->second->name;
    return "";
}

auto route_key(const Namespace& ns, const Route& r) {
    return std::make_tuple(r.table, r.type, r.dst.network().value(), r.dst.len(), r.tos, r.metric, r.gateway.value(),
                           ns.ifname(r.oif), r.prefsrc.value(), r.scope, r.proto, r.onlink);
}

RouteSpec route_spec(const Namespace& ns, const Route& r, bool del) {
    RouteSpec s;
    s.type = r.type;
    s.type_given = true;
    s.dst = r.dst;
    s.table = r.table;
    s.tos = r.tos;
    s.metric = r.metric;
    if (!r.gateway.is_zero()) s.via = r.gateway;
    if (r.oif) s.dev = ns.ifname(r.oif);
    if (!del && !r.prefsrc.is_zero()) s.src = r.prefsrc;
    s.scope = r.scope;
    s.proto = r.proto;
    s.onlink = !del && r.onlink;
    return s;
}

class Finder {
public:
    Finder(const NetState& want, const NetState& have, const PinnedLinks& pinned)
        : want_(want), have_(have), cur_(have), pinned_(pinned) {}

    Drift run() {
        namespaces();
        for (const auto& name : names_) links_away(name);
        for (const auto& name : names_) links_in(name);
        for (const auto& name : names_) link_settings(name);
        for (const auto& name : names_) addresses(name);
        for (const auto& name : names_) sysctls(name);
        for (const auto& name : names_) routes(name);
        return std::move(out_);
    }

private:
    void op(Operation o) {
        for (const auto& e : model_edits(o)) cur_.apply(e);
        out_.ops.push_back(std::move(o));
    }
    void say(std::string line) { out_.differences.push_back(std::move(line)); }
    // A link made here: its settings and addresses are part of "missing", not differences.
    bool made(const std::string& ns, const std::string& link) const { return made_.count({ns, link}) > 0; }

    void namespaces() {
        for (const auto& [name, ns] : want_.namespaces())
            if (!name.empty()) names_.push_back(name);
        for (const auto& name : names_)
            if (!cur_.ns(name)) {
                say(fmt::format("namespace {} is missing", name));
                op(AddNetns{name});
            }
        std::vector<std::string> extra;
        for (const auto& [name, ns] : cur_.namespaces())
            if (!name.empty() && !want_.ns(name)) extra.push_back(name);
        for (const auto& name : extra) {
            say(fmt::format("namespace {} is not in the file", name));
            op(DelNetns{name});
        }
    }

    // Links the file does not have, or has as another kind or with another peer.
    void links_away(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        for (bool again = true; again;) {
            again = false;
            const Namespace& c = *cur_.ns(name);
            for (const auto& l : c.links) {
                const Link* wl = w.link(l.name);
                std::string why;
                if (!wl) why = "is not in the file";
                else if (wl->kind != l.kind)
                    why = fmt::format("is a {} on the kernel, a {} in the file", to_string(l.kind), to_string(wl->kind));
                else if (l.kind == LinkKind::veth && peer_of(cur_, c, l) != peer_of(want_, w, *wl))
                    why = fmt::format("has peer {} on the kernel, {} in the file", peer_of(cur_, c, l),
                                      peer_of(want_, w, *wl));
                if (why.empty()) continue;
                say(fmt::format("{}: link {} {}", name, l.name, why));
                op(DeleteLink{name, l.name});
                again = true;  // the list changed (and maybe a peer elsewhere)
                break;
            }
        }
    }

    LinkOpts opts(const std::string& ns, const Link& l) const {
        LinkOpts o;
        if (l.mtu != 1500) o.mtu = l.mtu;
        if (pinned_.count({ns, l.name})) o.mac = l.mac;
        return o;
    }

    void links_in(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        for (const auto& l : w.links) {
            if (cur_.ns(name)->link(l.name)) continue;
            if (l.kind == LinkKind::veth) {
                auto p = want_.peer(w, l);
                if (!p) continue;
                say(fmt::format("{}: veth {} (peer {}:{}) is missing", name, l.name, p->first->name, p->second->name));
                made_.insert({name, l.name});
                made_.insert({p->first->name, p->second->name});
                op(CreateVeth{{name, l.name, opts(name, l)}, {p->first->name, p->second->name, opts(p->first->name, *p->second)}});
            } else if (l.kind == LinkKind::tap || l.kind == LinkKind::dummy || l.kind == LinkKind::bridge) {
                say(fmt::format("{}: {} {} is missing", name, to_string(l.kind), l.name));
                made_.insert({name, l.name});
                op(CreateLink{name, l.name, l.kind, opts(name, l)});
            }
        }
    }

    void link_settings(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        for (const auto& wl : w.links) {
            const Link* l = cur_.ns(name)->link(wl.name);
            if (!l) continue;
            const bool quiet = made(name, wl.name);
            auto say_if = [&](std::string line) {
                if (!quiet) say(std::move(line));
            };
            LinkChange change;
            if (l->mtu != wl.mtu) {
                say_if(fmt::format("{}: {}: mtu {} on the kernel, {} in the file", name, wl.name, l->mtu, wl.mtu));
                change.mtu = wl.mtu;
            }
            if (pinned_.count({name, wl.name}) && l->mac != wl.mac) {
                say_if(fmt::format("{}: {}: address {} on the kernel, {} in the file", name, wl.name, l->mac.str(),
                                wl.mac.str()));
                change.mac = wl.mac;
            }
            if (l->admin_up != wl.admin_up) {
                say_if(fmt::format("{}: {}: {} on the kernel, {} in the file", name, wl.name, on_off(l->admin_up),
                                on_off(wl.admin_up)));
                change.up = wl.admin_up;
            }
            // A port released by hand (nomaster), or put on another bridge.
            const std::string have_master = l->master ? cur_.ns(name)->ifname(l->master) : "";
            const std::string want_master = wl.master ? w.ifname(wl.master) : "";
            if (have_master != want_master) {
                say_if(fmt::format("{}: {}: master {} on the kernel, {} in the file", name, wl.name,
                                   have_master.empty() ? "none" : have_master, want_master.empty() ? "none" : want_master));
                change.master = want_master;
            }
            if (change != LinkChange{}) op(SetLink{name, wl.name, change});
        }
    }

    static bool same_addr(const Address& a, const Address& b) { return a.addr == b.addr && a.broadcast == b.broadcast; }

    // The kernel keeps addresses in order (primaries, then secondaries): from the first
    // that differs, the kernel's are deleted (last first) and the file's added.
    void addresses(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        for (const auto& wl : w.links) {
            const Link* l = cur_.ns(name)->link(wl.name);
            if (!l) continue;
            const bool quiet = made(name, wl.name);
            size_t common = 0;
            while (common < l->addrs.size() && common < wl.addrs.size() && same_addr(l->addrs[common], wl.addrs[common]))
                ++common;
            std::vector<Address> away(l->addrs.begin() + long(common), l->addrs.end());
            for (const auto& a : away)
                if (std::none_of(wl.addrs.begin(), wl.addrs.end(), [&](const Address& x) { return same_addr(x, a); }))
                    say(fmt::format("{}: {}: address {} is not in the file", name, wl.name, a.addr.str()));
            for (size_t i = common; i < wl.addrs.size(); ++i) {
                const Address& a = wl.addrs[i];
                if (std::none_of(away.begin(), away.end(), [&](const Address& x) { return same_addr(x, a); }))
                    if (!quiet) say(fmt::format("{}: {}: address {} is missing", name, wl.name, a.addr.str()));
            }
            if (common < wl.addrs.size() && !away.empty() && away.size() + common == wl.addrs.size() &&
                std::is_permutation(away.begin(), away.end(), wl.addrs.begin() + long(common), same_addr))
                say(fmt::format("{}: {}: addresses in another order", name, wl.name));
            for (auto it = away.rbegin(); it != away.rend(); ++it)
                if (cur_.ns(name)->link(wl.name)->addrs.size() > common) op(ChangeAddress{false, name, wl.name, it->addr});
            for (size_t i = common; i < wl.addrs.size(); ++i) {
                const Address& a = wl.addrs[i];
                op(ChangeAddress{true, name, wl.name, a.addr,
                                 a.broadcast.is_zero() ? std::nullopt : std::optional<Ipv4>(a.broadcast)});
            }
        }
    }

    void sysctls(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        std::vector<std::string> devices;
        for (const auto& l : w.links) devices.push_back(l.name);
        for (const auto& key : known_sysctl_keys(devices)) {
            const std::string want = want_.sysctl_value(w, key);
            const std::string have = cur_.sysctl_value(*cur_.ns(name), key);
            if (want == have) continue;
            say(fmt::format("{}: {} is {} on the kernel, {} in the file", name, key, have, want));
            op(SetSysctl{name, key, want});
        }
    }

    void routes(const std::string& name) {
        const Namespace& w = *want_.ns(name);
        std::vector<const Route*> away;
        std::vector<Route> missing;
        {
            const Namespace& c = *cur_.ns(name);
            std::multiset<decltype(route_key(w, Route{}))> wanted, have;
            for (const auto& r : w.routes) wanted.insert(route_key(w, r));
            for (const auto& r : c.routes) have.insert(route_key(c, r));
            for (const auto& r : c.routes)
                if (!wanted.count(route_key(c, r))) away.push_back(&r);
            for (const auto& r : w.routes)
                if (!have.count(route_key(w, r))) missing.push_back(r);
        }
        std::vector<RouteSpec> dels;
        for (const Route* r : away) {
            const RouteSpec s = route_spec(*cur_.ns(name), *r, true);
            say(fmt::format("{}: route not in the file: {}", name, route_text(name, s)));
            dels.push_back(s);
        }
        for (const auto& s : dels) op(ChangeRoute{name, RouteOp::del, s});
        std::stable_partition(missing.begin(), missing.end(), [](const Route& r) { return r.gateway.is_zero(); });
        for (const auto& r : missing) {
            const RouteSpec s = route_spec(w, r, false);
            if (!cur_.ns(name)->routes.empty() && has_route(*cur_.ns(name), w, r)) continue;  // came back with an address
            // A route the kernel had, taken away by an operation above (the last address
            // of its device deleted, say), is no difference: it is only put back.
            const Namespace* before = have_.ns(name);
            if (!before || !has_route(*before, w, r)) say(fmt::format("{}: route missing: {}", name, route_text(name, s)));
            op(ChangeRoute{name, RouteOp::replace, s});
        }
    }

    static bool has_route(const Namespace& c, const Namespace& w, const Route& r) {
        const auto key = route_key(w, r);
        return std::any_of(c.routes.begin(), c.routes.end(), [&](const Route& x) { return route_key(c, x) == key; });
    }

    static std::string route_text(const std::string& ns, const RouteSpec& s) {
        std::string text = format_command(RouteEdit{ns, RouteOp::add, s});
        const std::string head = fmt::format("ip -n {} route add ", ns);
        return text.starts_with(head) ? text.substr(head.size()) : text;
    }

    const NetState& want_;
    const NetState& have_;  // as inspected
    NetState cur_;          // as the operations so far leave it
    const PinnedLinks& pinned_;
    std::vector<std::string> names_;
    std::set<std::pair<std::string, std::string>> made_;  // links created by the operations
    Drift out_;
};

}  // namespace

PinnedLinks pinned_links(const Topology& topo, const NetState& want) {
    std::set<Mac> given;
    for (const auto& e : topo.edits) {
        if (const auto* add = std::get_if<LinkAdd>(&e.op)) {
            if (add->mac) given.insert(*add->mac);
            if (add->peer_mac) given.insert(*add->peer_mac);
        } else if (const auto* set = std::get_if<LinkSet>(&e.op); set && set->mac) {
            given.insert(*set->mac);
        }
    }
    PinnedLinks out;
    for (const auto& [name, ns] : want.namespaces())
        for (const auto& l : ns.links)
            if (given.count(l.mac)) out.insert({name, l.name});
    return out;
}

NetState plan_state(const Plan& plan) {
    NetState st;
    for (const auto& step : plan.steps)
        for (const auto& e : model_edits(step.op)) st.apply(e);
    return st;
}

Result<Drift> lab_drift(const Topology& topo, const Plan& plan, const std::vector<std::string>& live) {
    std::vector<std::string> names;
    for (const auto& ns : live)
        if (netns_exists(ns) && std::find(names.begin(), names.end(), ns) == names.end()) names.push_back(ns);
    auto seen = inspect_kernel(names, "");
    if (!seen) return Error{seen.error()};
    const NetState want = plan_state(plan);
    return find_drift(want, seen->state, pinned_links(topo, want));
}

Drift find_drift(const NetState& want, const NetState& have, const PinnedLinks& pinned) {
    return Finder(want, have, pinned).run();
}

}  // namespace vethlab::backend
