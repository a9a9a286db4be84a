// Topology -> YAML: the state before the first observation as a description, checked by
// rebuilding it; the rest as steps. Falls back to steps only when the check fails.
#include "model/yaml_writer.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "model/ip_writer.hpp"
#include "model/yaml_emit.hpp"
#include "model/yaml_reader.hpp"

namespace vethlab {
namespace yaml {
namespace {

struct LinkView {
    LinkKind kind = LinkKind::veth;
    bool admin_up = false;
    uint32_t mtu = 0;
    std::optional<Mac> mac;  // only when pinned
    std::string peer;        // "ns:name" of a veth's other end
    std::vector<Address> addrs;
    std::map<std::string, std::string> conf;
    std::string master;  // the bridge's name
    bool operator==(const LinkView&) const = default;
};

struct RouteView {
    uint32_t table = 0;
    RouteType type = RouteType::unicast;
    Prefix dst;
    uint8_t tos = 0;
    uint32_t metric = 0;
    Ipv4 gateway;
    std::string dev;
    Ipv4 prefsrc;
    RouteScope scope = RouteScope::universe;
    RouteProto proto = RouteProto::boot;
    bool onlink = false;
    bool operator==(const RouteView&) const = default;
};

struct NsView {
    std::map<std::string, LinkView> links;
    std::vector<RouteView> routes;  // per table, in the kernel's order
    std::map<std::string, std::string> sysctls;
    bool operator==(const NsView&) const = default;
};

LinkView link_view(const NetState& st, const Namespace& ns, const Link& l, const PinnedMacs& pinned) {
    LinkView v{l.kind, l.admin_up, l.mtu, std::nullopt, "", l.addrs, l.conf, ns.ifname(l.master)};
    if (pinned.count({ns.name, l.name})) v.mac = l.mac;
    if (auto p = st.peer(ns, l)) v.peer = p->first->name + ":" + p->second->name;
    return v;
}

std::map<std::string, NsView> view(const NetState& st, const PinnedMacs& pinned) {
    std::map<std::string, NsView> out;
    for (const auto& [name, ns] : st.namespaces()) {
        NsView& v = out[name];
        for (const auto& l : ns.links) v.links[l.name] = link_view(st, ns, l, pinned);
        // In the kernel's order, which keeps the insertion order of routes with one key
        // (the same local address on two devices): `ip route show table local` shows it.
        std::set<uint32_t> tables;
        for (const auto& r : ns.routes) tables.insert(r.table);
        for (uint32_t t : tables)
            for (const Route* r : ns.sorted_routes(t))
                v.routes.push_back(RouteView{r->table, r->type, r->dst, r->tos, r->metric, r->gateway,
                                             ns.ifname(r->oif), r->prefsrc, r->scope, r->proto, r->onlink});
        v.sysctls = ns.sysctls;
    }
    return out;
}

// Links whose MAC an edit set explicitly, found by value in the final state.
PinnedMacs pinned_macs(const std::vector<Edit>& edits, size_t k, const NetState& st) {
    std::set<Mac> given;
    for (size_t i = 0; i < k; ++i) {
        if (const auto* add = std::get_if<LinkAdd>(&edits[i].op)) {
            if (add->mac) given.insert(*add->mac);
            if (add->peer_mac) given.insert(*add->peer_mac);
        } else if (const auto* set = std::get_if<LinkSet>(&edits[i].op); set && set->mac) {
            given.insert(*set->mac);
        }
    }
    PinnedMacs out;
    for (const auto& [name, ns] : st.namespaces())
        for (const auto& l : ns.links)
            // A bridge shares its smallest port's MAC: pinned only when set on the bridge itself.
            if (given.count(l.mac) && (l.kind != LinkKind::bridge || l.mac_set)) out.insert({name, l.name});
    return out;
}

std::string steps(const std::vector<Edit>& edits, size_t from) {
    if (from >= edits.size()) return "";
    std::string out = "steps:\n";
    for (size_t i = from; i < edits.size(); ++i) out += "  - " + yaml_scalar(format_command(edits[i].op)) + "\n";
    return out;
}

// The namespaces in the order the edits created them.
std::vector<std::string> creation_order(const std::vector<Edit>& edits, size_t k) {
    std::vector<std::string> out;
    for (size_t i = 0; i < k; ++i)
        if (const auto* add = std::get_if<NetnsAdd>(&edits[i].op))
            if (std::find(out.begin(), out.end(), add->name) == out.end()) out.push_back(add->name);
    return out;
}

// The description, if parsing and applying it gives `target` back.
std::optional<std::string> checked_description(const NetState& target, const PinnedMacs& pinned,
                                               const std::vector<std::string>& order) {
    auto text = describe_state(target, pinned, order);
    if (!text) return std::nullopt;
    const Parsed parsed = parse_yaml_topology(*text, "<generated>");
    if (!parsed.ok()) return std::nullopt;
    NetState rebuilt;
    for (const auto& e : parsed.topology.edits)
        if (rebuilt.apply(e.op)) return std::nullopt;
    if (!same_state(rebuilt, target, pinned)) return std::nullopt;
    return text;
}

}  // namespace

bool same_state(const NetState& a, const NetState& b, const PinnedMacs& pinned) {
    return view(a, pinned) == view(b, pinned);
}

}  // namespace yaml

std::string write_yaml_topology(const Topology& topo) {
    const auto& edits = topo.edits;
    // The description covers the edits before the first observation, and stops early at
    // an edit the kernel would refuse: that edit and what follows stay steps, so the
    // YAML does what the script does (a refused edit changes nothing).
    size_t k = size_t(
        std::find_if(edits.begin(), edits.end(), [](const Edit& e) { return e.is_observation(); }) - edits.begin());
    NetState state;
    for (size_t i = 0; i < k; ++i) {
        if (state.apply(edits[i].op)) {
            k = i;
            break;
        }
    }
    const auto pinned = yaml::pinned_macs(edits, k, state);
    const auto order = yaml::creation_order(edits, k);
    if (auto described = yaml::checked_description(state, pinned, order)) return *described + yaml::steps(edits, k);
    return yaml::steps(edits, 0);
}

}  // namespace vethlab
