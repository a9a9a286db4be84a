// iproute2 6.1 ip/ipneigh.c print_neigh, with do_show_or_flush's default state filter
// (0xFF & ~NUD_NOARP); the kernel adds NDA_LLADDR only for NUD_VALID states
// (net/core/neighbour.c neigh_fill_info).
#include "sim/neigh_printer.hpp"

#include <fmt/format.h>

namespace vethlab::sim {
namespace {

bool lladdr_reported(NudState s) { return s != NudState::incomplete && s != NudState::failed; }

std::string neigh_line(const NeighborEntry& e, const std::string& dev_name, bool with_dev) {
    std::string line = e.ip.str();
    if (with_dev) line += " dev " + dev_name;
    if (e.mac && lladdr_reported(e.state)) line += " lladdr " + e.mac->str();
    if (e.router) line += " router";
    return line + " " + std::string(to_string(e.state)) + " \n";
}

}  // namespace

std::string format_ip_neigh(const Namespace& ns, const std::vector<NeighborEntry>& entries,
                            const std::optional<std::string>& dev) {
    const Link* only = dev ? ns.link(*dev) : nullptr;
    if (dev && !only) return fmt::format("Cannot find device \"{}\"\n", *dev);
    std::string out;
    for (const auto& e : entries) {
        if (e.state == NudState::noarp) continue;
        if (only && e.ifindex != only->ifindex) continue;
        const Link* link = ns.link(e.ifindex);
        if (!link) continue;
        out += neigh_line(e, link->name, !only);
    }
    return out;
}

}  // namespace vethlab::sim
