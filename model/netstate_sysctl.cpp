// Per-namespace sysctls under net.ipv4 (devinet.c, neighbour.c, icmp.c), and the
// observations, which change nothing but need their namespace and device.
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <set>

#include "model/netstate.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

// How a knob's proc handler converts what is written (kernel/sysctl.c), and so which
// values it refuses and what reading it back gives.
enum class Conv : uint8_t {
    integer,     // proc_dointvec(_minmax): an int in [min, max]
    unsigned8,   // proc_dou8vec_minmax: no sign at all (not even "-0"), [min, max]
    ms_jiffies,  // proc_dointvec_ms_jiffies: ms, rounded up to whole jiffies, read back in ms
    jiffies,     // proc_dointvec_jiffies: seconds, at most INT_MAX / HZ either way
};

// net.ipv4.conf.{all,default,IF}.<knob>, net.ipv4.neigh.IF.<knob>, net.ipv4.<knob>
// with their compiled defaults and handlers (devinet.c, neighbour.c, sysctl_net_ipv4.c).
struct Knob {
    const char* name;
    int def;
    Conv conv = Conv::integer;
    int min = std::numeric_limits<int>::min();
    int max = std::numeric_limits<int>::max();
    // conf: written through devinet_conf_proc, which marks the device's knob as its own
    // (cnf.state, even when the value is refused), and copies a write to conf.default to
    // every device whose knob is not (devinet_copy_dflt_conf). Adding an address marks
    // them all (netstate_addr.cpp).
    bool follows_default = false;
};
constexpr int kIntMax = std::numeric_limits<int>::max();
constexpr int kIntMin = std::numeric_limits<int>::min();
constexpr Knob kConfKnobs[] = {  // proc_dointvec, any int; forwarding (devinet_sysctl_forward),
                                 // route_localnet and promote_secondaries (ipv4_doint_and_flush)
                                 // are not devinet_conf_proc's
    {"forwarding", 0},
    {"rp_filter", 0, Conv::integer, kIntMin, kIntMax, true},
    {"arp_ignore", 0, Conv::integer, kIntMin, kIntMax, true},
    {"arp_announce", 0, Conv::integer, kIntMin, kIntMax, true},
    {"arp_filter", 0, Conv::integer, kIntMin, kIntMax, true},
    {"accept_local", 0, Conv::integer, kIntMin, kIntMax, true},
    {"route_localnet", 0},
    {"proxy_arp", 0, Conv::integer, kIntMin, kIntMax, true},
    {"promote_secondaries", 0},
    {"send_redirects", 1, Conv::integer, kIntMin, kIntMax, true},
    {"accept_redirects", 1, Conv::integer, kIntMin, kIntMax, true},
    {"ignore_routes_with_linkdown", 0, Conv::integer, kIntMin, kIntMax, true},
    {"log_martians", 0, Conv::integer, kIntMin, kIntMax, true},
};
static_assert(std::size(kConfKnobs) <= 16, "Link::conf_written has a bit per conf knob");

constexpr Knob kNeighKnobs[] = {
    {"mcast_solicit", 3, Conv::integer, 0, kIntMax}, {"ucast_solicit", 3, Conv::integer, 0, kIntMax},
    {"app_solicit", 0, Conv::integer, 0, kIntMax},   {"retrans_time_ms", 1000, Conv::ms_jiffies},
    {"base_reachable_time_ms", 30000, Conv::ms_jiffies}, {"delay_first_probe_time", 5, Conv::jiffies},
};
constexpr Knob kNetKnobs[] = {
    {"ip_forward", 0},
    {"icmp_echo_ignore_all", 0, Conv::unsigned8, 0, 1},
    {"icmp_echo_ignore_broadcasts", 1, Conv::unsigned8, 0, 1},
    {"icmp_ratelimit", 1000, Conv::ms_jiffies},
    {"icmp_ratemask", 6168},
    {"ip_default_ttl", 64, Conv::integer, 1, 255},
    // The per-namespace budget of ICMP errors (icmp_global_allow): settable, not simulated.
    {"icmp_msgs_per_sec", 1000, Conv::integer, 0, kIntMax},
    {"icmp_msgs_burst", 50, Conv::integer, 0, kIntMax},
};
constexpr uint64_t kHz = 250;  // CONFIG_HZ (Debian), as sim/kernel.hpp's kJiffy

// The conf knob's bit in Link::conf_written, when it follows conf.default; else -1.
int follow_bit(std::string_view knob) {
    for (size_t i = 0; i < std::size(kConfKnobs); ++i)
        if (knob == kConfKnobs[i].name) return kConfKnobs[i].follows_default ? int(i) : -1;
    return -1;
}

// proc_get_long after proc_skip_spaces: an optional '-', then digits read as strtoul
// reads them with base 0 ("0x1f" hex, "010" octal), at most 20 characters with the
// sign (TMPBUFLEN), then the end or whitespace; what follows that is not read (a knob
// holds one value: "5 6" sets 5).
std::optional<std::pair<bool, uint64_t>> proc_get_long(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    const std::string_view whole = text;
    bool neg = false;
    if (text.size() > 1 && text.front() == '-') neg = true, text.remove_prefix(1);
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return std::nullopt;
    int base = 10;
    if (text.front() == '0') {
        base = 8;
        if (text.size() > 2 && (text[1] == 'x' || text[1] == 'X') && std::isxdigit(static_cast<unsigned char>(text[2])))
            base = 16, text.remove_prefix(2);
    }
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
    if (ec != std::errc()) return std::nullopt;  // out of range
    const size_t used = size_t(p - whole.data());
    if (used >= 21) return std::nullopt;
    if (p != text.data() + text.size() && *p != ' ' && *p != '\t' && *p != '\n') return std::nullopt;
    return std::pair(neg, v);
}

// The value as the kernel stores it and reads it back (what `sysctl -n` prints), or
// nullopt where the handler refuses it (EINVAL).
std::optional<std::string> convert(const Knob& k, std::string_view text) {
    const auto got = proc_get_long(text);
    if (!got) return std::nullopt;
    const auto [neg, v] = *got;
    switch (k.conv) {
        case Conv::integer: {
            const uint64_t limit = neg ? uint64_t(kIntMax) + 1 : uint64_t(kIntMax);
            if (v > limit) return std::nullopt;
            const int64_t value = neg ? -int64_t(v) : int64_t(v);
            if (value < k.min || value > k.max) return std::nullopt;
            return std::to_string(value);
        }
        case Conv::unsigned8:
            if (neg || v < uint64_t(k.min) || v > uint64_t(k.max)) return std::nullopt;
            return std::to_string(v);
        case Conv::ms_jiffies: {
            // msecs_to_jiffies takes an unsigned int: the value is cut to 32 bits, and one
            // that is negative as an int is "infinite" (MAX_JIFFY_OFFSET), over INT_MAX.
            const auto ms = uint32_t(neg ? uint64_t(0) - v : v);
            if (int32_t(ms) < 0) return std::nullopt;
            const uint64_t jiffies = (uint64_t(ms) + 1000 / kHz - 1) / (1000 / kHz);
            return std::to_string(jiffies * (1000 / kHz));
        }
        case Conv::jiffies:
            if (v > uint64_t(kIntMax) / kHz) return std::nullopt;
            return std::to_string(neg ? -int64_t(v) : int64_t(v));
    }
    return std::nullopt;
}

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

bool conf_own(const Link& l, std::string_view knob) {
    const int bit = follow_bit(knob);
    return bit < 0 || (l.conf_written & (1u << bit));
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
    const int bit = parts->group == "conf" && knob->follows_default ? follow_bit(knob->name) : -1;
    if (per_device && bit >= 0) n.link(parts->scope)->conf_written |= uint16_t(1u << bit);  // refused too
    const auto converted = convert(*knob, e.value);
    if (!converted) return fmt::format("sysctl: setting key \"{}\": Invalid argument", e.key);
    const std::string& value = *converted;
    if (per_device) {
        n.link(parts->scope)->conf[device_conf_key(*parts)] = value;
        return std::nullopt;
    }
    if (bit >= 0 && parts->scope == "default")
        for (auto& l : n.links)
            if (!(l.conf_written & (1u << bit))) l.conf[knob->name] = value;
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
