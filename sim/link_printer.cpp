// iproute2 6.1 ip/ipaddress.c print_linkinfo / print_linkinfo_brief / print_addrinfo,
// fed with what the kernel reports: dev_get_flags() (net/core/dev.c), the operstate
// (net/core/link_watch.c default_operstate; rtnl_fill_ifinfo reports DOWN for a device
// that is not running) and IFLA_LINK (veth_get_iflink: the peer's ifindex).
#include "sim/link_printer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace vethlab::sim {
namespace {

const Link* find_dev(const Namespace& ns, const std::optional<std::string>& dev) {
    return dev ? ns.link(*dev) : nullptr;
}

std::string no_device(const std::string& dev) { return fmt::format("Device \"{}\" does not exist.\n", dev); }

// The other end of a veth when it lives in the same namespace (ip prints "name@peer").
const Link* same_ns_peer(const NetState& state, const Namespace& ns, const Link& link) {
    auto p = state.peer(ns, link);
    return p && p->first->name == ns.name ? p->second : nullptr;
}

bool other_ns_peer(const NetState& state, const Namespace& ns, const Link& link) {
    auto p = state.peer(ns, link);
    return p && p->first->name != ns.name;
}

// "veth0@if5" (peer in another namespace), "v2@v3" (same namespace), else the name.
std::string name_at(const NetState& state, const Namespace& ns, const Link& link) {
    if (const Link* p = same_ns_peer(state, ns, link)) return link.name + "@" + p->name;
    if (other_ns_peer(state, ns, link)) return fmt::format("{}@if{}", link.name, link.peer_ifindex);
    return link.name;
}

// print_link_flags over dev_get_flags(): RUNNING is oper-up, LOWER_UP is carrier.
std::string link_flags(const NetState& state, const Namespace& ns, const Link& link) {
    const bool up = link.admin_up;
    const bool carrier = up && state.carrier(ns, link);
    std::vector<std::string_view> words;
    if (up && !carrier) words.push_back("NO-CARRIER");
    if (link.kind == LinkKind::loopback) words.push_back("LOOPBACK");
    else words.push_back("BROADCAST");
    if (link.kind == LinkKind::veth || link.kind == LinkKind::tap || link.kind == LinkKind::bridge)
        words.push_back("MULTICAST");
    if (link.kind == LinkKind::dummy) words.push_back("NOARP");  // dummy_setup: NOARP, no MULTICAST
    if (up) words.push_back("UP");
    if (carrier) words.push_back("LOWER_UP");
    std::string out = "<";
    for (size_t i = 0; i < words.size(); ++i) out += (i ? "," : "") + std::string(words[i]);
    const Link* peer = same_ns_peer(state, ns, link);
    if (peer && !peer->admin_up) out += ",M-DOWN";  // the lower (IFLA_LINK) device is down
    return out + ">";
}

// The operstate word. lo and dummy never get a carrier event, so they stay UNKNOWN (so
// does a bridge until its first port).
// Without carrier, default_operstate looks the IFLA_LINK index up in the device's *own*
// namespace -- for a veth whose peer is elsewhere that finds an unrelated device (or the
// device itself, when the indexes happen to be equal).
std::string_view oper_state(const NetState& state, const Namespace& ns, const Link& link) {
    if (!link.admin_up) return "DOWN";
    if (link.kind == LinkKind::loopback || link.kind == LinkKind::dummy) return "UNKNOWN";
    // A bridge that never had a port has the carrier it was created with, but no carrier
    // event ever set its operstate.
    if (link.kind == LinkKind::bridge && !link.had_port) return "UNKNOWN";
    if (state.carrier(ns, link)) return "UP";
    const int iflink = link.kind == LinkKind::veth && link.peer_ifindex ? link.peer_ifindex : link.ifindex;
    if (iflink == link.ifindex) return "DOWN";
    const Link* lower = ns.link(iflink);
    if (!lower) return "DOWN";
    // The operstate is taken when the device loses carrier; a bridge loses its carrier
    // only after that (its ports' NETDEV_CHANGE), so a port that finds its own bridge
    // there saw it with carrier, unless the bridge was down.
    if (link.master && lower->ifindex == link.master) return lower->admin_up ? "DOWN" : "LOWERLAYERDOWN";
    return state.carrier(ns, *lower) ? "DOWN" : "LOWERLAYERDOWN";
}

// The root qdisc: noop until the device is first opened; then noqueue for devices with
// IFF_NO_QUEUE (lo, veth, dummy) and net.core.default_qdisc (pfifo_fast, the kernel's
// default) for a tap. Closing the device keeps it; moving it to another namespace
// (dev_shutdown) puts noop back.
std::string_view qdisc(const Link& link) {
    if (!link.qdisc_attached) return "noop";
    return link.kind == LinkKind::tap ? "pfifo_fast" : "noqueue";
}

// " link-netns NAME", or " link-netnsid N" for the unnamed initial namespace. Netns ids
// are allocated by the kernel on first use; N is approximated by the order in which the
// namespace's veths (by ifindex) first reach each peer namespace.
std::string netns_suffix(const NetState& state, const Namespace& ns, const Link& link) {
    if (!other_ns_peer(state, ns, link)) return "";
    if (!link.peer_ns.empty()) return " link-netns " + link.peer_ns;
    std::vector<std::string> seen;
    for (const auto& l : ns.links)
        if (other_ns_peer(state, ns, l) && std::find(seen.begin(), seen.end(), l.peer_ns) == seen.end())
            seen.push_back(l.peer_ns);
    const auto id = std::find(seen.begin(), seen.end(), link.peer_ns) - seen.begin();
    return fmt::format(" link-netnsid {}", id);
}

// "N: name@peer: <FLAGS> mtu M qdisc Q [master BR ]state S [mode DEFAULT ]group default qlen 1000"
std::string head_line(const NetState& state, const Namespace& ns, const Link& link, bool with_mode) {
    const std::string master = link.master ? fmt::format("master {} ", ns.ifname(link.master)) : "";
    return fmt::format("{}: {}: {} mtu {} qdisc {} {}state {} {}group default qlen 1000", link.ifindex,
                       name_at(state, ns, link), link_flags(state, ns, link), link.mtu, qdisc(link), master,
                       oper_state(state, ns, link), with_mode ? "mode DEFAULT " : "");
}

std::string link_block(const NetState& state, const Namespace& ns, const Link& link) {
    const bool lo = link.kind == LinkKind::loopback;
    return fmt::format("{}\n    link/{} {} brd {}{}\n", head_line(state, ns, link, true), lo ? "loopback" : "ether",
                       link.mac.str(), lo ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff",
                       netns_suffix(state, ns, link));
}

// print_addrinfo for one IPv4 address; the label is the device name.
std::string inet_lines(const Link& link, const Address& a) {
    return fmt::format("    inet {}{} scope {}{} {}\n       valid_lft forever preferred_lft forever\n", a.addr.str(),
                       a.broadcast.is_zero() ? "" : " brd " + a.broadcast.str(), to_string(a.scope), a.secondary ? " secondary" : "", link.name);
}

std::string addr_block(const NetState& state, const Namespace& ns, const Link& link) {
    std::string out = head_line(state, ns, link, false) + netns_suffix(state, ns, link) + "\n";
    for (const auto& a : link.addrs) out += inet_lines(link, a);
    return out;
}

// print_linkinfo_brief: "%-16s %-14s " then the MAC and flags, or the addresses.
std::string brief_head(const NetState& state, const Namespace& ns, const Link& link) {
    return fmt::format("{:<16} {:<14} ", name_at(state, ns, link), oper_state(state, ns, link));
}

std::string brief_link(const NetState& state, const Namespace& ns, const Link& link) {
    return fmt::format("{}{} {} \n", brief_head(state, ns, link), link.mac.str(), link_flags(state, ns, link));
}

std::string brief_addr(const NetState& state, const Namespace& ns, const Link& link) {
    std::string out = brief_head(state, ns, link);
    for (const auto& a : link.addrs) out += a.addr.str() + " ";
    return out + "\n";
}

using Block = std::string (*)(const NetState&, const Namespace&, const Link&);

std::string each_link(const NetState& state, const Namespace& ns, const std::optional<std::string>& dev,
                      Block block, bool ipv4_only) {
    if (dev && !ns.link(*dev)) return no_device(*dev);
    std::string out;
    for (const auto& link : ns.links) {
        if (dev && link.name != *dev) continue;
        if (ipv4_only && link.addrs.empty()) continue;  // `ip -4` skips devices with no inet address
        out += block(state, ns, link);
    }
    return out;
}

}  // namespace

bool ip_show_fails(const Namespace& ns, const std::optional<std::string>& dev) {
    return dev && !find_dev(ns, dev);
}

std::string format_ip_link(const NetState& state, const Namespace& ns, bool brief,
                           const std::optional<std::string>& dev) {
    return each_link(state, ns, dev, brief ? brief_link : link_block, false);
}

std::string format_ip_addr(const NetState& state, const Namespace& ns, bool brief,
                           const std::optional<std::string>& dev) {
    return each_link(state, ns, dev, brief ? brief_addr : addr_block, true);
}

}  // namespace vethlab::sim
