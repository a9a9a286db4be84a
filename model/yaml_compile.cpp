// A declared topology: cross checks (names, duplicates, undeclared namespaces) and its
// compilation to edits in the canonical order of DESIGN.md.
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/names.hpp"
#include "model/yaml_decl.hpp"

namespace vethlab::yaml {
namespace {

// Interface name -> where first defined. Views into the declaration, which outlives the
// check: a million veth ends made a million string keys and locations before.
using IfNames = std::unordered_map<std::string_view, const SourceLoc*>;

constexpr uint32_t kDefaultMtu = 1500;

void check_addresses(YamlSource& src, const LinkDecl& link) {
    for (size_t i = 0; i < link.addrs.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (link.addrs[j].addr != link.addrs[i].addr) continue;
            src.error(link.addrs[i].loc, fmt::format("address {} is given twice on '{}' in namespace '{}'; first at {}",
                                                     link.addrs[i].addr.str(), link.name, link.ns,
                                                     src.at(link.addrs[j].loc).str()));
            break;
        }
    }
}

void check_link(YamlSource& src, IfNames& names, const LinkDecl& link) {
    check_addresses(src, link);
    if (auto why = check_ifname(link.name)) {
        src.error(link.loc, *why);
        return;
    }
    if (link.name == "lo") {
        src.error(link.loc, fmt::format("'lo' exists in every namespace; set it up with 'lo: up' in namespace '{}'",
                                        link.ns));
        return;
    }
    auto [first, inserted] = names.emplace(link.name, &link.loc);
    if (!inserted)
        src.error(link.loc, fmt::format("interface '{}' is defined twice in namespace '{}'; first at {}", link.name,
                                        link.ns, src.at(*first->second).str()));
}

void check_routes(YamlSource& src, const NsDecl& ns) {
    using Key = std::tuple<uint32_t, Prefix, uint8_t, uint32_t>;  // what `replace` matches
    std::map<Key, SourceLoc> seen;
    for (const auto& r : ns.routes) {
        const Key key{r.spec.effective_table(), r.spec.dst, r.spec.tos, r.spec.metric.value_or(0)};
        auto [first, inserted] = seen.emplace(key, r.loc);
        if (!inserted)
            src.error(r.loc, fmt::format("route to {} (table {}, metric {}) is given twice in namespace '{}'; first at "
                                         "{}",
                                         r.spec.dst.str(), table_name(std::get<0>(key)), std::get<3>(key), ns.name,
                                         src.at(first->second).str()));
    }
}

// `master: br0` names a bridge declared under the same namespace's links.
void check_master(YamlSource& src, const TopologyDecl& decl, const LinkDecl& link) {
    if (link.master.empty()) return;
    for (const auto& ns : decl.namespaces) {
        if (ns.name != link.ns) continue;
        for (const auto& l : ns.links)
            if (l.name == link.master && l.kind == LinkKind::bridge) return;
    }
    src.error(link.master_loc, fmt::format("master '{}' of '{}' is not a bridge under 'links' of namespace '{}'",
                                           link.master, link.name, link.ns));
}

void check_veth_end(YamlSource& src, std::unordered_map<std::string_view, IfNames>& names, const LinkDecl& end) {
    auto ns = names.find(end.ns);
    if (ns == names.end()) {
        src.error(end.loc, fmt::format("namespace '{}' of veth end '{}:{}' is not declared under 'namespaces'", end.ns,
                                       end.ns, end.name));
        check_addresses(src, end);
        if (auto why = check_ifname(end.name)) src.error(end.loc, *why);
        return;
    }
    check_link(src, ns->second, end);
}

template <class F>
void for_each_link(const TopologyDecl& decl, F f) {
    for (const auto& ns : decl.namespaces) {
        f(ns.lo);
        for (const auto& link : ns.links) f(link);
    }
    for (const auto& veth : decl.veths) {
        f(veth.a);
        f(veth.b);
    }
}

// The address and link-state passes go namespace by namespace: lo, its links, then its
// veth ends in file order (`a` before `b` of one veth). Those edits change only their own
// namespace (a veth's carrier is both ends' state, read when needed), so any order that
// keeps each namespace's own order leaves the same state; this one finds each namespace's
// tables still in the cache from its previous edit. In the n = 1000 mesh, taking veth by
// veth met the far end's namespace cold at every edit (address adds 0.72 s, link ups 1.40 s).
class EndsByNamespace {
public:
    explicit EndsByNamespace(const TopologyDecl& decl) : decl_(decl) {
        std::unordered_map<std::string_view, size_t> index;  // a name declared twice: its first
        for (size_t i = 0; i < decl.namespaces.size(); ++i) index.emplace(decl.namespaces[i].name, i);
        const size_t undeclared = decl.namespaces.size();  // refused by the checks; last here
        std::vector<size_t> of(decl.veths.size() * 2);
        start_.assign(undeclared + 2, 0);
        for (size_t v = 0; v < decl.veths.size(); ++v)
            for (int side = 0; side < 2; ++side) {
                const auto it = index.find(end(v, side).ns);
                of[2 * v + side] = it == index.end() ? undeclared : it->second;
                ++start_[of[2 * v + side] + 1];
            }
        for (size_t i = 1; i < start_.size(); ++i) start_[i] += start_[i - 1];
        ends_.resize(of.size());
        std::vector<size_t> next(start_.begin(), start_.end() - 1);
        for (size_t k = 0; k < of.size(); ++k) ends_[next[of[k]]++] = &end(k / 2, int(k % 2));
    }

    // f(link) for every link of the topology, namespace by namespace.
    template <class F>
    void for_each(F f) const {
        for (size_t i = 0; i <= decl_.namespaces.size(); ++i) {
            if (i < decl_.namespaces.size()) {
                const NsDecl& ns = decl_.namespaces[i];
                f(ns.lo);
                for (const auto& link : ns.links) f(link);
            }
            for (size_t k = start_[i]; k < start_[i + 1]; ++k) f(*ends_[k]);
        }
    }

private:
    const LinkDecl& end(size_t veth, int side) const { return side ? decl_.veths[veth].b : decl_.veths[veth].a; }

    const TopologyDecl& decl_;
    std::vector<size_t> start_;         // namespace i's ends are ends_[start_[i], start_[i + 1])
    std::vector<const LinkDecl*> ends_;  // the veth ends, namespace by namespace
};

LinkAdd veth_add(const VethDecl& veth) {
    LinkAdd add;
    add.name = veth.a.name;
    add.kind = LinkKind::veth;
    add.netns = veth.a.ns;
    add.mac = veth.a.mac;
    add.peer = veth.b.name;
    add.peer_netns = veth.b.ns;
    add.peer_mac = veth.b.mac;
    // An end without mtu has 1500, whatever the other end has.
    if (veth.a.mtu || veth.b.mtu) {
        add.mtu = veth.a.mtu.value_or(kDefaultMtu);
        add.peer_mtu = veth.b.mtu.value_or(kDefaultMtu);
    }
    return add;
}

LinkAdd link_add(const LinkDecl& link) {
    LinkAdd add;
    add.ns = link.ns;
    add.name = link.name;
    add.kind = link.kind;
    add.mtu = link.mtu;
    add.mac = link.mac;
    return add;
}

}  // namespace

void check_decl(YamlSource& src, const TopologyDecl& decl) {
    std::unordered_map<std::string_view, IfNames> names;  // namespace -> its interfaces
    std::map<std::string, SourceLoc> ns_seen;
    for (const auto& ns : decl.namespaces) {
        if (auto why = check_netns_name(ns.name)) src.error(ns.loc, *why);
        auto [first, inserted] = ns_seen.emplace(ns.name, ns.loc);
        if (!inserted)
            src.error(ns.loc, fmt::format("namespace '{}' is declared twice; first at {}", ns.name,
                                          src.at(first->second).str()));
        IfNames& ifnames = names[ns.name];
        check_addresses(src, ns.lo);
        for (const auto& link : ns.links) check_link(src, ifnames, link);
        check_routes(src, ns);
    }
    for (const auto& veth : decl.veths) {
        check_veth_end(src, names, veth.a);
        check_veth_end(src, names, veth.b);
    }
    for_each_link(decl, [&](const LinkDecl& link) { check_master(src, decl, link); });
}

void compile_decl(const TopologyDecl& decl, const EditSink& sink, Diagnostics& errors) {
    auto push = [&](EditOp op, const SourceLoc& at) {
        std::string text = format_command(op);
        sink(Edit{std::move(op), SourceLoc{decl.file, at.line, at.col}, std::move(text)});
    };
    for (const auto& ns : decl.namespaces) push(NetnsAdd{ns.name}, ns.loc);
    for (const auto& ns : decl.namespaces)
        for (const auto& link : ns.links) push(link_add(link), link.loc);
    for (const auto& veth : decl.veths) push(veth_add(veth), veth.loc);
    for_each_link(decl, [&](const LinkDecl& link) {
        if (link.master.empty()) return;
        LinkSet set;
        set.ns = link.ns;
        set.name = link.name;
        set.master = link.master;
        push(set, link.master_loc);
    });
    const EndsByNamespace by_ns(decl);
    by_ns.for_each([&](const LinkDecl& link) {
        for (const auto& a : link.addrs) push(AddrAdd{link.ns, link.name, a.addr, a.broadcast}, a.loc);
    });
    by_ns.for_each([&](const LinkDecl& link) {
        LinkSet set;
        set.ns = link.ns;
        set.name = link.name;
        set.up = true;
        if (link.up) push(set, link.up_loc);
    });
    for (const auto& ns : decl.namespaces)
        for (const auto& r : ns.routes) push(RouteEdit{ns.name, RouteOp::replace, r.spec}, r.loc);
    for (const auto& ns : decl.namespaces)
        for (const auto& s : ns.sysctls) push(SysctlSet{ns.name, s.key, s.value}, s.loc);
    for (const auto& step : decl.steps) {
        Parsed p = parse_ip_command(step.command, SourceLoc{decl.file, step.loc.line, step.loc.col});
        for (auto& e : p.topology.edits) sink(std::move(e));
        errors.insert(errors.end(), p.errors.begin(), p.errors.end());
    }
}

}  // namespace vethlab::yaml
