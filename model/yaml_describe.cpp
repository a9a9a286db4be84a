// A NetState described in the YAML topology format: namespaces with lo, links, routes
// and sysctls, then the veth pairs (one line each when both ends are simple).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "model/yaml_emit.hpp"

namespace vethlab::yaml {
namespace {

constexpr uint32_t kDefaultMtu = 1500;
const IfAddr kLoopbackAddr{Ipv4(127, 0, 0, 1), 8};

using Fields = std::vector<std::pair<std::string, std::string>>;  // key, YAML value

std::string flow_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + yaml_scalar(i);
    return "[" + out + "]";
}

std::string flow_map(const Fields& fields) {
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : ", ") + k + ": " + v;
    return "{" + out + "}";
}

std::vector<std::string> addr_strings(const Link& link) {
    std::vector<std::string> out;
    for (const auto& a : link.addrs) out.push_back(a.addr.str() + (a.broadcast.is_zero() ? "" : " brd " + a.broadcast.str()));
    return out;
}

bool plain_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_-./:@+= ").find(c) != std::string_view::npos;
}

// `lo: up`, or a map when lo has addresses of its own; nullopt when lo is as created.
std::optional<std::string> lo_value(const Link& lo) {
    const bool automatic = lo.admin_up && lo.addrs.size() == 1 && lo.addrs[0].addr == kLoopbackAddr;
    if (lo.addrs.empty() || automatic) return lo.admin_up ? std::optional<std::string>("up") : std::nullopt;
    Fields f;
    if (lo.admin_up) f.emplace_back("up", "true");
    f.emplace_back("addresses", flow_list(addr_strings(lo)));
    return flow_map(f);
}

// kind, mtu, mac, addresses, up: what a link or a veth end says beyond the defaults.
Fields link_fields(const Namespace& ns, const Link& link, bool pinned_mac) {
    Fields f;
    if (link.mtu != kDefaultMtu) f.emplace_back("mtu", std::to_string(link.mtu));
    if (pinned_mac) f.emplace_back("mac", link.mac.str());
    if (!link.addrs.empty()) f.emplace_back("addresses", flow_list(addr_strings(link)));
    if (link.master) f.emplace_back("master", yaml_scalar(ns.ifname(link.master)));
    if (!link.admin_up) f.emplace_back("up", "false");
    return f;
}

std::string route_text(const Namespace& ns, const Route& r) {
    std::vector<std::string> w;
    if (r.type != RouteType::unicast) w.emplace_back(to_string(r.type));
    w.push_back(r.dst.str());
    RouteSpec as_written;  // for the scope iproute2 would pick from these words
    as_written.type = r.type;
    if (!r.gateway.is_zero()) w.insert(w.end(), {"via", r.gateway.str()});
    if (!r.gateway.is_zero()) as_written.via = r.gateway;
    if (r.oif) w.insert(w.end(), {"dev", ns.ifname(r.oif)});
    if (!r.prefsrc.is_zero()) w.insert(w.end(), {"src", r.prefsrc.str()});
    if (r.metric) w.insert(w.end(), {"metric", std::to_string(r.metric)});
    if (r.table != kTableMain) w.insert(w.end(), {"table", table_name(r.table)});
    if (r.tos) w.insert(w.end(), {"tos", std::to_string(r.tos)});
    if (r.proto != RouteProto::boot) w.insert(w.end(), {"proto", std::string(to_string(r.proto))});
    if (r.scope != as_written.effective_scope(RouteOp::replace))
        w.insert(w.end(), {"scope", std::string(to_string(r.scope))});
    if (r.onlink) w.emplace_back("onlink");
    std::string out;
    for (const auto& word : w) out += (out.empty() ? "" : " ") + word;
    return out;
}

// Routes the user made (not proto kernel, not in table local), in an order `replace`
// accepts: first routes without a gateway of scope link or host (a gateway needs one),
// then routes with a gateway, then the rest (a route of scope global, like `via 0.0.0.0`,
// that replaces a connected route would hide the gateways behind it).
int replace_rank(const Route& r) {
    if (!r.gateway.is_zero()) return 1;
    return uint8_t(r.scope) >= uint8_t(RouteScope::link) ? 0 : 2;
}

std::vector<std::string> user_routes(const Namespace& ns) {
    std::set<uint32_t> tables;
    for (const auto& r : ns.routes)
        if (r.table != kTableLocal && r.table != kTableMain) tables.insert(r.table);
    std::vector<uint32_t> order{kTableMain};
    order.insert(order.end(), tables.begin(), tables.end());
    std::vector<const Route*> routes;
    for (uint32_t t : order)
        for (const Route* r : ns.sorted_routes(t))
            if (r->proto != RouteProto::kernel) routes.push_back(r);
    std::stable_sort(routes.begin(), routes.end(),
                     [](const Route* a, const Route* b) { return replace_rank(*a) < replace_rank(*b); });
    std::vector<std::string> out;
    for (const Route* r : routes) out.push_back(route_text(ns, *r));
    return out;
}

// The namespace's conf.default value of a conf knob ("rp_filter").
std::string default_conf(const Namespace& ns, const std::string& knob) {
    const std::string key = "net.ipv4.conf.default." + knob;
    const auto it = ns.sysctls.find(key);
    return it != ns.sysctls.end() ? it->second : default_sysctl(key).value_or("");
}

// Namespace sysctls (ip_forward first: it sets every device's forwarding), then the
// device conf values the build would not give them by itself, by interface name.
Fields sysctls(const Namespace& ns) {
    Fields f;
    const auto fwd = ns.sysctls.find("net.ipv4.ip_forward");
    if (fwd != ns.sysctls.end()) f.emplace_back(fwd->first, yaml_scalar(fwd->second));
    for (const auto& [key, value] : ns.sysctls) {
        if (key == "net.ipv4.ip_forward") continue;
        if (key == "net.ipv4.conf.default.forwarding" && fwd != ns.sysctls.end() && value == fwd->second) continue;
        // Writing ip_forward also sets conf.all.accept_redirects to !on (inet_forward_change).
        if (key == "net.ipv4.conf.all.accept_redirects" && fwd != ns.sysctls.end() &&
            value == (fwd->second == "0" ? "1" : "0"))
            continue;
        f.emplace_back(yaml_scalar(key), yaml_scalar(value));
    }
    std::vector<const Link*> by_name;  // not by ifindex: that differs between builds
    for (const auto& link : ns.links) by_name.push_back(&link);
    std::sort(by_name.begin(), by_name.end(), [](const Link* a, const Link* b) { return a->name < b->name; });
    for (const Link* l : by_name) {
        const Link& link = *l;
        for (const auto& [knob, value] : link.conf) {
            if (knob == "forwarding" && fwd != ns.sysctls.end() && value == fwd->second) continue;
            if (!conf_own(link, knob) && value == default_conf(ns, knob)) continue;  // conf.default's: it follows
            const std::string key = knob.starts_with("neigh.")
                                        ? fmt::format("net.ipv4.neigh.{}.{}", link.name, knob.substr(6))
                                        : fmt::format("net.ipv4.conf.{}.{}", link.name, knob);
            f.emplace_back(yaml_scalar(key), yaml_scalar(value));
        }
    }
    return f;
}

std::string describe_ns(const Namespace& ns, const PinnedMacs& pinned) {
    std::string out;
    for (const auto& link : ns.links)
        if (link.kind == LinkKind::loopback)
            if (auto lo = lo_value(link)) out += "    lo: " + *lo + "\n";
    std::string links;
    for (const auto& link : ns.links) {
        if (link.kind != LinkKind::tap && link.kind != LinkKind::dummy && link.kind != LinkKind::bridge) continue;
        Fields f = link_fields(ns, link, pinned.count({ns.name, link.name}) > 0);
        f.insert(f.begin(), {"kind", std::string(to_string(link.kind))});
        links += "      " + yaml_scalar(link.name) + ": " + flow_map(f) + "\n";
    }
    if (!links.empty()) out += "    links:\n" + links;
    const auto routes = user_routes(ns);
    if (!routes.empty()) out += "    routes:\n";
    for (const auto& r : routes) out += "      - " + yaml_scalar(r) + "\n";
    const Fields sys = sysctls(ns);
    if (!sys.empty()) out += "    sysctl:\n";
    for (const auto& [k, v] : sys) out += "      " + k + ": " + v + "\n";
    return out;
}

// One end: "ns0:veth0 10.0.0.1/24" when it has only addresses, else a map.
std::string end_value(const Namespace& ns, const Link& link, const PinnedMacs& pinned, bool& simple) {
    const std::string at = ns.name + ":" + link.name;
    Fields f = link_fields(ns, link, pinned.count({ns.name, link.name}) > 0);
    const bool spaced = ns.name.find_first_of(" \t") != std::string::npos;
    const bool brd = std::any_of(link.addrs.begin(), link.addrs.end(), [](const Address& a) { return !a.broadcast.is_zero(); });
    simple = !spaced && !brd && (f.empty() || (f.size() == 1 && f[0].first == "addresses"));
    if (!simple) {
        f.insert(f.begin(), {"end", yaml_scalar(at)});
        return flow_map(f);
    }
    std::string text = at;
    for (const auto& a : link.addrs) text += " " + a.addr.str();
    return text;
}

std::optional<std::string> describe_veths(const NetState& st, const PinnedMacs& pinned,
                                          const std::vector<const Namespace*>& namespaces) {
    std::string out;
    std::set<std::pair<std::string, int>> done;  // ends already written
    for (const Namespace* nsp : namespaces) {
        const Namespace& ns = *nsp;
        const std::string& name = ns.name;
        for (const auto& link : ns.links) {
            if (link.kind != LinkKind::veth || done.count({name, link.ifindex})) continue;
            auto peer = st.peer(ns, link);
            if (name.empty() || !peer || peer->first->name.empty()) return std::nullopt;
            done.insert({peer->first->name, peer->second->ifindex});
            bool a_simple = false;
            bool b_simple = false;
            // `a` is the end created first, with `b` as its peer. In one namespace the kernel
            // gives the peer the lower ifindex, which this loop meets first: `a` is the other.
            const bool same_ns = peer->first == &ns;
            const std::string a = same_ns ? end_value(ns, *peer->second, pinned, a_simple)
                                          : end_value(ns, link, pinned, a_simple);
            const std::string b = same_ns ? end_value(ns, link, pinned, b_simple)
                                          : end_value(*peer->first, *peer->second, pinned, b_simple);
            if (a_simple && b_simple)
                out += "  - " + yaml_scalar(a + " -- " + b) + "\n";
            else
                out += "  - a: " + (a_simple ? yaml_scalar(a) : a) + "\n    b: " + (b_simple ? yaml_scalar(b) : b) + "\n";
        }
    }
    return out.empty() ? out : "veths:\n" + out;
}

}  // namespace

std::string yaml_scalar(std::string_view s) {
    static const std::set<std::string_view> nulls{"null", "Null", "NULL", "~"};
    bool plain = !s.empty() && !nulls.count(s) && std::all_of(s.begin(), s.end(), plain_char) &&
                 (std::isalnum(static_cast<unsigned char>(s.front())) || s.front() == '_' || s.front() == '.' ||
                  s.front() == '/') &&
                 s.back() != ' ' && s.back() != ':' && s.find(": ") == std::string_view::npos;
    if (plain) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += std::string("\\") + c;
        else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
            out += c;
    }
    return out + "\"";
}

std::optional<std::string> describe_state(const NetState& st, const PinnedMacs& pinned,
                                          const std::vector<std::string>& order) {
    std::vector<const Namespace*> namespaces;  // the host's first: its veths cannot be said
    for (const auto& name : order)
        if (const Namespace* ns = st.ns(name); ns && !name.empty()) namespaces.push_back(ns);
    for (const auto& [name, ns] : st.namespaces())
        if (std::find(order.begin(), order.end(), name) == order.end() || name.empty()) namespaces.push_back(&ns);
    std::stable_partition(namespaces.begin(), namespaces.end(), [](const Namespace* n) { return n->name.empty(); });
    std::string out;
    for (const Namespace* ns : namespaces) {
        if (ns->name.empty()) continue;
        const std::string body = describe_ns(*ns, pinned);
        out += "  " + yaml_scalar(ns->name) + (body.empty() ? ": {}\n" : ":\n" + body);
    }
    out = out.empty() ? "namespaces: {}\n" : "namespaces:\n" + out;
    auto veths = describe_veths(st, pinned, namespaces);
    if (!veths) return std::nullopt;
    return out + *veths;
}

}  // namespace vethlab::yaml
