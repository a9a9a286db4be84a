#include "sim/route_printer.hpp"

#include <fmt/format.h>

namespace vethlab::sim {

std::string format_route_n(const Namespace& ns) {
    std::string out = "Kernel IP routing table\n";
    out += "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n";
    for (const Route* r : ns.sorted_routes(kTableMain)) {
        // /proc/net/route (fib_trie.c fib_flag_trans): unreachable and prohibit are
        // RTF_REJECT, blackhole is not; net-tools prints a reject route with "-" for
        // gateway, Ref and Iface, and "!" replacing U and G (lib/inet_gr.c).
        const bool reject = r->type == RouteType::unreachable || r->type == RouteType::prohibit;
        std::string flags = reject ? "!" : r->gateway.is_zero() ? "U" : "UG";
        if (r->dst.len() == 32) flags += "H";
        if (reject) {
            out += fmt::format("{:<15} -               {:<15} {:<5} {:<6} -  {:>7} -\n", r->dst.network().str(),
                               r->dst.netmask().str(), flags, r->metric, 0);
            continue;
        }
        const std::string iface = r->oif ? ns.ifname(r->oif) : std::string("*");
        out += fmt::format("{:<15} {:<15} {:<15} {:<5} {:<6} {:<2} {:>7} {}\n", r->dst.network().str(),
                           r->gateway.str(), r->dst.netmask().str(), flags, r->metric, 0, 0, iface);
    }
    return out;
}

std::string format_route(const NetState& state, const Namespace& ns, const Route& r) {
    std::string line;
    if (r.type != RouteType::unicast) line += std::string(to_string(r.type)) + " ";
    line += r.dst.str();
    if (!r.gateway.is_zero()) line += " via " + r.gateway.str();
    if (r.oif) line += " dev " + ns.ifname(r.oif);
    if (r.proto != RouteProto::boot) line += " proto " + std::string(to_string(r.proto));
    if (r.scope != RouteScope::universe) line += " scope " + std::string(to_string(r.scope));
    if (!r.prefsrc.is_zero()) line += " src " + r.prefsrc.str();
    if (r.metric) line += " metric " + std::to_string(r.metric);
    // Host-scope routes have no nexthop to flag (their nh scope is "nowhere").
    const Link* dev = r.oif ? ns.link(r.oif) : nullptr;
    if (dev && r.scope != RouteScope::host && dev->admin_up && !state.carrier(ns, *dev)) line += " linkdown";
    return line;
}

std::string format_ip_route(const NetState& state, const Namespace& ns, uint32_t table) {
    std::string out;
    for (const Route* r : ns.sorted_routes(table))
        out += format_route(state, ns, *r) + " \n";  // iproute2 ends every route line with a space
    return out;
}

}  // namespace vethlab::sim
