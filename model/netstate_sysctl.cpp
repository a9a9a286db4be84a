// Per-namespace sysctls under net.ipv4 (devinet.c, neighbour.c, icmp.c), and the
// observations, which change nothing but need their namespace and device.
#include <charconv>
#include <set>

#include "model/netstate.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

// net.ipv4.conf.{all,default,IF}.<knob>, net.ipv4.neigh.IF.<knob>, net.ipv4.<knob>
// with their compiled defaults. The kernel takes any int for these (proc_dointvec).
struct Knob {
    const char* name;
    int def;
};
constexpr Knob kConfKnobs[] = {
    {"forwarding", 0},     {"rp_filter", 0},           {"arp_ignore", 0},     {"arp_announce", 0},
    {"arp_filter", 0},     {"accept_local", 0},        {"route_localnet", 0}, {"proxy_arp", 0},
    {"promote_secondaries", 0}, {"send_redirects", 1}, {"accept_redirects", 1},
    {"ignore_routes_with_linkdown", 0}, {"log_martians", 0},
};
constexpr Knob kNeighKnobs[] = {
    {"mcast_solicit", 3}, {"ucast_solicit", 3}, {"app_solicit", 0}, {"retrans_time_ms", 1000},
    {"base_reachable_time_ms", 30000}, {"delay_first_probe_time", 5},
};
constexpr Knob kNetKnobs[] = {
    {"ip_forward", 0}, {"icmp_echo_ignore_all", 0}, {"icmp_echo_ignore_broadcasts", 1},
    {"icmp_ratelimit", 1000}, {"icmp_ratemask", 6168}, {"ip_default_ttl", 64},
};

struct KeyParts {
    std::string group;  // "conf", "neigh" or "" for net.ipv4.<knob>
    std::string scope;  // "all", "default" or an interface name
    std::string knob;
};

std::optional<KeyParts> split_key(std::string_view key) {
    constexpr std::string_view root = "net.ipv4.";
    if (!key.starts_with(root)) return std::nullopt;
    std::string_view rest = key.substr(root.size());
    for (std::string_view group : {"conf.", "neigh."}) {
        if (!rest.starts_with(group)) continue;
        rest.remove_prefix(group.size());
        // Interface names may contain dots: the knob is the part after the last one.
        const auto dot = rest.rfind('.');
        if (dot == std::string_view::npos || dot == 0) return std::nullopt;
        return KeyParts{std::string(group.substr(0, group.size() - 1)), std::string(rest.substr(0, dot)),
                        std::string(rest.substr(dot + 1))};
    }
    return KeyParts{"", "", std::string(rest)};
}

const Knob* find_knob(const KeyParts& k) {
    auto search = [&](const auto& table) -> const Knob* {
        for (const auto& knob : table)
            if (k.knob == knob.name) return &knob;
        return nullptr;
    };
    if (k.group == "conf") return search(kConfKnobs);
    if (k.group == "neigh") return search(kNeighKnobs);
    return search(kNetKnobs);
}

std::string cannot_stat(std::string_view key) {
    std::string path(key);
    for (auto& c : path)
        if (c == '.') c = '/';
    return fmt::format("sysctl: cannot stat /proc/sys/{}: No such file or directory", path);
}

// The key as stored: per-device knobs live in Link::conf as "rp_filter" / "neigh.mcast_solicit".
std::string device_conf_key(const KeyParts& k) { return k.group == "neigh" ? "neigh." + k.knob : k.knob; }

}  // namespace

std::optional<std::string> default_sysctl(std::string_view key) {
    auto parts = split_key(key);
    if (!parts) return std::nullopt;
    const Knob* knob = find_knob(*parts);
    if (!knob) return std::nullopt;
    return std::to_string(knob->def);
}

std::vector<std::string> known_sysctl_keys(const std::vector<std::string>& devices) {
    std::vector<std::string> out;
    for (const auto& k : kNetKnobs) out.push_back(fmt::format("net.ipv4.{}", k.name));
    for (std::string_view scope : {"all", "default"})
        for (const auto& k : kConfKnobs) out.push_back(fmt::format("net.ipv4.conf.{}.{}", scope, k.name));
    for (const auto& dev : devices) {
        for (const auto& k : kConfKnobs) out.push_back(fmt::format("net.ipv4.conf.{}.{}", dev, k.name));
        for (const auto& k : kNeighKnobs) out.push_back(fmt::format("net.ipv4.neigh.{}.{}", dev, k.name));
    }
    return out;
}

std::string NetState::sysctl_value(const Namespace& n, std::string_view key) const {
    std::string k(key);
    if (k == "net.ipv4.conf.all.forwarding") k = "net.ipv4.ip_forward";
    auto parts = split_key(k);
    if (parts && parts->scope != "all" && parts->scope != "default" && !parts->scope.empty()) {
        if (const Link* l = n.link(parts->scope)) {
            auto it = l->conf.find(device_conf_key(*parts));
            if (it != l->conf.end()) return it->second;
        }
        return default_sysctl(k).value_or("");
    }
    auto it = n.sysctls.find(k);
    if (it != n.sysctls.end()) return it->second;
    return default_sysctl(k).value_or("");
}

std::optional<std::string> NetState::apply_op(const SysctlSet& e) {
    Namespace* found = find_ns(e.ns);
    if (!found) return errors::no_netns(e.ns);
    Namespace& n = *found;
    auto parts = split_key(e.key);
    const Knob* knob = parts ? find_knob(*parts) : nullptr;
    const bool per_device = parts && !parts->group.empty() && parts->scope != "all" && parts->scope != "default";
    // neigh has no "all", and its "default" exists in the initial namespace only.
    const bool no_such_neigh = parts && parts->group == "neigh" &&
                               (parts->scope == "all" || (parts->scope == "default" && !n.name.empty()));
    if (!knob || (per_device && !n.link(parts->scope)) || no_such_neigh) return cannot_stat(e.key);
    std::string_view text = e.value;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    int v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        return fmt::format("sysctl: setting key \"{}\": Invalid argument", e.key);
    const std::string value = std::to_string(v);
    if (per_device) {
        n.link(parts->scope)->conf[device_conf_key(*parts)] = value;
        return std::nullopt;
    }
    std::string key = e.key;
    if (key == "net.ipv4.conf.all.forwarding") key = "net.ipv4.ip_forward";
    const bool changed = sysctl_value(n, key) != value;
    n.sysctls[key] = value;
    if (key == "net.ipv4.ip_forward" && changed) {
        // devinet.c devinet_sysctl_forward -> inet_forward_change, on a change only:
        // default and every device follow, and conf.all.accept_redirects becomes !on.
        n.sysctls["net.ipv4.conf.default.forwarding"] = value;
        n.sysctls["net.ipv4.conf.all.accept_redirects"] = value == "0" ? "1" : "0";
        for (auto& l : n.links) l.conf["forwarding"] = value;
    }
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const Ping& e) {
    if (auto err = need_ns(e.ns)) return err;
    if (e.iface && !ns(e.ns)->link(*e.iface))
        return fmt::format("ping: SO_BINDTODEVICE {}: No such device", *e.iface);
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const Sleep& e) { return need_ns(e.ns); }

std::optional<std::string> NetState::apply_op(const Show& e) {
    if (auto err = need_ns(e.ns)) return err;
    if (e.dev && !ns(e.ns)->link(*e.dev))
        return e.what == ShowWhat::bridge_fdb ? fmt::format("Cannot find bridge device \"{}\"", *e.dev)
                                              : fmt::format("Device \"{}\" does not exist.", *e.dev);
    return std::nullopt;
}

}  // namespace vethlab
