#include "model/ip_writer.hpp"

#include <fmt/format.h>

#include "model/ip_script_detail.hpp"

namespace vethlab {
namespace {

std::string q(std::string_view w) { return shell_quote(w); }

// "ip", "ip -n ns0", "ip -n ns0 -br".
std::string ip(const std::string& ns, bool brief = false) {
    std::string out = "ip";
    if (!ns.empty()) out += " -n " + q(ns);
    if (brief) out += " -br";
    return out;
}

// The prefix that runs a program in a namespace.
std::string exec_in(const std::string& ns) { return ns.empty() ? "" : "ip netns exec " + q(ns) + " "; }

// A device name after `ip link VERB`: `dev` first when ip would read it as a keyword.
std::string device(std::string_view keyword, const std::string& name) {
    return ipscript::is_link_keyword(name) ? std::string(keyword) + " " + q(name) : q(name);
}

std::string link_fields(const std::optional<std::string>& netns, const std::optional<uint32_t>& mtu,
                        const std::optional<Mac>& mac) {
    std::string out;
    if (netns) out += " netns " + q(*netns);
    if (mtu) out += fmt::format(" mtu {}", *mtu);
    if (mac) out += " address " + mac->str();
    return out;
}

std::string up_word(const std::optional<bool>& up) { return up ? (*up ? " up" : " down") : ""; }

std::string format_tap(const LinkAdd& a) {
    std::string out = ip(a.ns) + " tuntap add dev " + q(a.name) + " mode tap";
    const std::string rest = link_fields(a.netns, a.mtu, a.mac) + up_word(a.up);
    if (!rest.empty()) out += " && " + ip(a.ns) + " link set " + device("dev", a.name) + rest;
    return out;
}

std::string format(const LinkAdd& a) {
    if (a.kind == LinkKind::tap) return format_tap(a);
    if (a.kind == LinkKind::loopback) return ": loopback " + q(a.name) + " comes with its namespace";
    std::string out = ip(a.ns) + " link add " + device("name", a.name);
    out += link_fields(a.netns, a.mtu, a.mac) + up_word(a.up);
    if (a.kind == LinkKind::dummy) return out + " type dummy";
    if (a.kind == LinkKind::bridge) return out + " type bridge";
    return out + " type veth peer name " + q(a.peer) + link_fields(a.peer_netns, a.peer_mtu, a.peer_mac);
}

std::string format(const LinkSet& s) {
    std::string out = ip(s.ns) + " link set " + device("dev", s.name);
    if (s.netns) out += " netns " + q(*s.netns);
    if (s.new_name) out += " name " + q(*s.new_name);
    out += link_fields(std::nullopt, s.mtu, s.mac) + up_word(s.up);
    if (s.master) out += s.master->empty() ? " nomaster" : " master " + q(*s.master);
    return out;
}

std::string format(const RouteEdit& r) {
    const RouteSpec& s = r.route;
    std::string out = ip(r.ns) + " route " + std::string(to_string(r.op));
    if (s.type_given || s.type != RouteType::unicast) out += " " + std::string(to_string(s.type));
    out += " " + s.dst.str();
    if (s.via) out += " via " + s.via->str();
    if (s.dev) out += " dev " + q(*s.dev);
    if (s.src) out += " src " + s.src->str();
    if (s.metric) out += fmt::format(" metric {}", *s.metric);
    if (s.table) out += " table " + table_name(*s.table);
    if (s.scope) out += " scope " + std::string(to_string(*s.scope));
    if (s.proto) out += " proto " + std::string(to_string(*s.proto));
    if (s.tos != 0) out += fmt::format(" tos 0x{:x}", s.tos);
    if (s.onlink) out += " onlink";
    return out;
}

// net.ipv4.conf.eth0.100.forwarding is written net/ipv4/conf/eth0.100/forwarding:
// with dots, sysctl would read the device's dot as a separator.
std::string sysctl_path(const std::string& key) {
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        const size_t dot = key.find('.', start);
        parts.push_back(key.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    if (parts.size() <= 5 || (parts[2] != "conf" && parts[2] != "neigh")) return key;
    std::string dev = parts[3];
    for (size_t i = 4; i + 1 < parts.size(); ++i) dev += "." + parts[i];
    return parts[0] + "/" + parts[1] + "/" + parts[2] + "/" + dev + "/" + parts.back();
}

std::string format(const Ping& p) {
    std::string out = exec_in(p.ns) + "ping";
    if (p.count) out += fmt::format(" -c {}", *p.count);
    if (p.interval != 1.0) out += fmt::format(" -i {}", p.interval);
    if (p.timeout) out += fmt::format(" -W {}", *p.timeout);
    if (p.deadline) out += fmt::format(" -w {}", *p.deadline);
    if (p.iface) out += " -I " + q(*p.iface);
    if (p.ttl) out += fmt::format(" -t {}", *p.ttl);
    if (p.quiet) out += " -q";
    return out + " " + p.dst.str();
}

std::string format(const Sleep& s) { return exec_in(s.ns) + fmt::format("sleep {}", s.seconds); }

std::string format(const Show& s) {
    const std::string dev = s.dev ? " dev " + q(*s.dev) : "";
    switch (s.what) {
        case ShowWhat::route_n: return exec_in(s.ns) + "route -n";
        case ShowWhat::ip_route:
            return ip(s.ns, s.brief) + " route show" + (s.table ? " table " + table_name(*s.table) : "") + dev;
        case ShowWhat::ip_addr: return ip(s.ns, s.brief) + " addr show" + dev;
        case ShowWhat::ip_link: return ip(s.ns, s.brief) + " link show" + dev;
        case ShowWhat::ip_neigh: return ip(s.ns, s.brief) + " neigh show" + dev;
        case ShowWhat::bridge_fdb:
            return std::string("bridge") + (s.ns.empty() ? "" : " -n " + q(s.ns)) + " fdb show" + (s.dev ? " br " + q(*s.dev) : "");
    }
    return "";
}

std::string format(const NetnsAdd& n) { return "ip netns add " + q(n.name); }
std::string format(const NetnsDel& n) { return "ip netns del " + q(n.name); }
std::string format(const LinkDel& d) { return ip(d.ns) + " link del " + device("dev", d.name); }
std::string format(const AddrAdd& a) {
    return ip(a.ns) + " addr add " + a.addr.str() + (a.broadcast ? " brd " + a.broadcast->str() : "") + " dev " + q(a.dev);
}
std::string format(const AddrDel& a) { return ip(a.ns) + " addr del " + a.addr.str() + " dev " + q(a.dev); }
std::string format(const SysctlSet& s) { return exec_in(s.ns) + "sysctl -w " + q(sysctl_path(s.key) + "=" + s.value); }

}  // namespace

std::string shell_quote(std::string_view word) {
    constexpr std::string_view safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-";
    if (!word.empty() && word.find_first_not_of(safe) == std::string_view::npos) return std::string(word);
    std::string out = "'";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string format_command(const EditOp& op) {
    return std::visit([](const auto& e) { return format(e); }, op);
}

std::string write_ip_script(const std::vector<Edit>& edits, std::string_view header_comment) {
    std::string out = "#!/bin/sh\n";
    size_t start = 0;
    while (start < header_comment.size()) {
        size_t nl = header_comment.find('\n', start);
        if (nl == std::string_view::npos) nl = header_comment.size();
        const std::string_view line = header_comment.substr(start, nl - start);
        out += line.empty() ? "#\n" : "# " + std::string(line) + "\n";
        start = nl + 1;
    }
    out += "set -e\n";
    for (const auto& e : edits) out += format_command(e.op) + (e.is_observation() ? " || true\n" : "\n");
    return out;
}

}  // namespace vethlab
