#include "backend/inspect.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "model/ip_writer.hpp"

namespace vethlab::backend {
namespace {

class Builder {
public:
    Builder(const std::vector<KernelNs>& spaces, const std::string& prefix) : spaces_(spaces), prefix_(prefix) {}

    Inspected run() {
        for (const auto& ns : spaces_) add(NetnsAdd{name(ns.name)});
        for (const auto& ns : spaces_) links(ns);
        for (const auto& ns : spaces_) masters(ns);
        for (const auto& ns : spaces_)
            for (const auto& l : ns.links)
                if (l.up() && created_.count({ns.name, l.ifindex})) add(LinkSet{.ns = name(ns.name), .name = l.name, .up = true});
        for (const auto& ns : spaces_) addresses(ns);
        for (const auto& ns : spaces_) routes(ns);
        for (const auto& ns : spaces_) sysctls(ns);
        out_.topology.file = "<kernel>";
        return std::move(out_);
    }

private:
    std::string name(const std::string& kernel_name) const {
        return kernel_name.starts_with(prefix_) ? kernel_name.substr(prefix_.size()) : kernel_name;
    }

    void add(EditOp op) {
        if (auto err = try_add(op))
            out_.warnings.push_back(fmt::format("cannot describe '{}': {}", format_command(op), *err));
    }

    // Applies op to the model and keeps it if the model accepts it.
    std::optional<std::string> try_add(EditOp op) {
        if (auto err = out_.state.apply(op)) return err;
        Edit e{std::move(op), SourceLoc{"<kernel>", int(out_.topology.edits.size() + 1), 1}, ""};
        e.text = format_command(e.op);
        out_.topology.edits.push_back(std::move(e));
        return std::nullopt;
    }

    const KernelNs* space(const std::string& kernel_name) const {
        for (const auto& s : spaces_)
            if (s.name == kernel_name) return &s;
        return nullptr;
    }

    static std::optional<uint32_t> mtu_if_not(uint32_t mtu, uint32_t usual) {
        return mtu == usual ? std::nullopt : std::optional<uint32_t>(mtu);
    }

    void links(const KernelNs& ns) {
        for (const auto& l : ns.links) {
            const std::string where = fmt::format("{}: {}", name(ns.name), l.name);
            if (l.kind == "loopback") {
                created_.insert({ns.name, l.ifindex});
                continue;
            }
            if (l.kind == "tap" || l.kind == "dummy") {
                LinkAdd add{.ns = name(ns.name), .name = l.name, .kind = l.kind == "tap" ? LinkKind::tap : LinkKind::dummy};
                add.mtu = mtu_if_not(l.mtu, 1500);
                add.mac = l.mac;
                created_.insert({ns.name, l.ifindex});
                add_op(add);
                continue;
            }
            if (l.kind == "bridge") {
                // No MTU: the model follows its ports as the kernel does (masters() sets
                // one the kernel holds otherwise). No MAC either: the file never pins it.
                created_.insert({ns.name, l.ifindex});
                add_op(LinkAdd{.ns = name(ns.name), .name = l.name, .kind = LinkKind::bridge});
                continue;
            }
            if (l.kind != "veth") {
                out_.warnings.push_back(fmt::format("{}: a {} link, which vethlab does not model; left out", where,
                                                    l.kind.empty() ? "kind-less" : l.kind));
                continue;
            }
            const KernelNs* peer_ns = l.peer_ns.empty() ? nullptr : space(l.peer_ns);
            const KernelLink* peer = peer_ns ? peer_ns->link(l.peer_ifindex) : nullptr;
            if (!peer) {
                out_.warnings.push_back(fmt::format(
                    "{}: its veth peer is in a namespace not inspected (link-netnsid {}); left out", where,
                    l.peer_nsid.value_or(-1)));
                continue;
            }
            if (created_.count({peer_ns->name, peer->ifindex})) continue;  // made with its peer
            LinkAdd add{.ns = name(ns.name), .name = l.name, .kind = LinkKind::veth};
            add.mtu = mtu_if_not(l.mtu, 1500);
            add.mac = l.mac;
            add.peer = peer->name;
            if (peer_ns != &ns) add.peer_netns = name(peer_ns->name);
            add.peer_mtu = mtu_if_not(peer->mtu, 1500);
            add.peer_mac = peer->mac;
            created_.insert({ns.name, l.ifindex});
            created_.insert({peer_ns->name, peer->ifindex});
            add_op(add);
        }
    }

    void add_op(const LinkAdd& link) { add(EditOp(link)); }

    // Each port onto its bridge (IFLA_MASTER), then the bridges' MTU where it is not the
    // one their ports give them (set by hand: BROPT_MTU_SET_BY_USER).
    void masters(const KernelNs& ns) {
        for (const auto& l : ns.links) {
            if (!l.master || !created_.count({ns.name, l.ifindex})) continue;
            const KernelLink* bridge = ns.link(l.master);
            if (!bridge || bridge->kind != "bridge" || !created_.count({ns.name, bridge->ifindex})) {
                out_.warnings.push_back(fmt::format("{}: {}: its master (ifindex {}) is not a bridge inspected; "
                                                    "left out of it",
                                                    name(ns.name), l.name, l.master));
                continue;
            }
            add(LinkSet{.ns = name(ns.name), .name = l.name, .master = bridge->name});
        }
        for (const auto& l : ns.links) {
            if (l.kind != "bridge" || !created_.count({ns.name, l.ifindex})) continue;
            const Namespace* model = out_.state.ns(name(ns.name));
            const Link* ml = model ? model->link(l.name) : nullptr;
            if (ml && ml->mtu != l.mtu) add(LinkSet{.ns = name(ns.name), .name = l.name, .mtu = l.mtu});
        }
    }

    // An address the model already gave the link (127.0.0.1/8 when lo came up).
    bool made_by_model(const std::string& ns, const std::string& dev, const KernelAddr& a) const {
        const Namespace* model = out_.state.ns(ns);
        const Link* l = model ? model->link(dev) : nullptr;
        return l && std::any_of(l->addrs.begin(), l->addrs.end(), [&](const Address& x) { return x.addr == a.addr; });
    }

    void addresses(const KernelNs& ns) {
        for (const auto& a : ns.addrs) {
            const KernelLink* l = ns.link(a.ifindex);
            if (!l || !created_.count({ns.name, l->ifindex})) continue;
            if (made_by_model(name(ns.name), l->name, a)) continue;
            add(AddrAdd{name(ns.name), l->name, a.addr, a.broadcast});
        }
    }

    RouteSpec spec(const KernelNs& ns, const Route& r) const {
        RouteSpec s;
        s.type = r.type;
        s.type_given = r.type != RouteType::unicast;
        s.dst = r.dst;
        if (r.table != s.effective_table()) s.table = r.table;
        s.tos = r.tos;
        if (r.metric) s.metric = r.metric;
        if (!r.gateway.is_zero()) s.via = r.gateway;
        if (const KernelLink* l = ns.link(r.oif)) s.dev = l->name;
        if (!r.prefsrc.is_zero()) s.src = r.prefsrc;
        if (r.scope != s.effective_scope(RouteOp::add)) s.scope = r.scope;
        if (r.proto != RouteProto::boot) s.proto = r.proto;
        s.onlink = r.onlink;
        return s;
    }

    // Routes the kernel keeps for addresses are made by the addresses; the others are
    // added, device routes first (a gateway may need one), and the kernel's own ones
    // the model has but the kernel lost (deleted by hand) are deleted.
    void routes(const KernelNs& ns) {
        const std::string n = name(ns.name);
        drop_lost_kernel_routes(ns);  // first: a route added later may have taken one's key
        std::vector<RouteSpec> pending;
        for (const auto& r : ns.routes) {
            if (r.proto == RouteProto::kernel || (r.table != kTableMain && r.table != kTableLocal)) continue;
            if (r.oif && !created_.count({ns.name, r.oif})) continue;
            pending.push_back(spec(ns, r));
        }
        std::stable_partition(pending.begin(), pending.end(), [](const RouteSpec& s) { return !s.via; });
        // A gateway reachable only through another added route: retry until nothing moves.
        for (bool moved = true; moved && !pending.empty();) {
            moved = false;
            std::vector<RouteSpec> later;
            for (auto& s : pending) {
                if (try_add(RouteEdit{n, RouteOp::add, s})) later.push_back(s);
                else moved = true;
            }
            pending = std::move(later);
        }
        for (const auto& s : pending) add(RouteEdit{n, RouteOp::add, s});  // warns with the model's reason
    }

    void drop_lost_kernel_routes(const KernelNs& ns) {
        const Namespace* model = out_.state.ns(name(ns.name));
        if (!model) return;
        std::vector<Route> lost;
        for (const auto& r : model->routes) {
            if (r.proto != RouteProto::kernel) continue;
            const std::string dev = model->ifname(r.oif);
            const bool there = std::any_of(ns.routes.begin(), ns.routes.end(), [&](const Route& k) {
                const KernelLink* l = ns.link(k.oif);
                return k.proto == RouteProto::kernel && k.table == r.table && k.type == r.type && k.dst == r.dst &&
                       (l ? l->name : "") == dev && k.prefsrc == r.prefsrc;
            });
            if (!there) lost.push_back(r);
        }
        for (const auto& r : lost) {
            RouteSpec s;
            s.type = r.type;
            s.type_given = true;
            s.dst = r.dst;
            s.table = r.table;
            s.dev = model->ifname(r.oif);
            s.scope = r.scope;
            s.proto = r.proto;
            if (!r.prefsrc.is_zero()) s.src = r.prefsrc;
            add(RouteEdit{name(ns.name), RouteOp::del, s});
        }
    }

    // In known_sysctl_keys' order, each key the model would answer otherwise is set,
    // so what setting one does to others (ip_forward) is seen before they are checked.
    void sysctls(const KernelNs& ns) {
        const std::string n = name(ns.name);
        std::vector<std::string> devices;
        for (const auto& l : ns.links)
            if (created_.count({ns.name, l.ifindex})) devices.push_back(l.name);
        for (const auto& key : known_sysctl_keys(devices)) {
            auto it = ns.sysctls.find(key);
            if (it == ns.sysctls.end()) continue;
            const Namespace* model = out_.state.ns(n);
            if (model && out_.state.sysctl_value(*model, key) != it->second) add(SysctlSet{n, key, it->second});
        }
    }

    const std::vector<KernelNs>& spaces_;
    std::string prefix_;
    std::set<std::pair<std::string, int>> created_;  // kernel namespace, ifindex
    Inspected out_;
};

}  // namespace

Inspected inspect(const std::vector<KernelNs>& spaces, const std::string& strip_prefix) {
    return Builder(spaces, strip_prefix).run();
}

Result<Inspected> inspect_kernel(const std::vector<std::string>& names, const std::string& strip_prefix) {
    auto spaces = read_namespaces(names);
    if (!spaces) return Error{spaces.error()};
    return inspect(*spaces, strip_prefix);
}

}  // namespace vethlab::backend
