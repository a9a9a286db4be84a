#include "sim/fdb_printer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vethlab::sim {
namespace {

bool shown(const Link& bridge, const std::optional<std::string>& br) {
    return bridge.kind == LinkKind::bridge && (!br || bridge.name == *br);
}

}  // namespace

std::string format_bridge_fdb(const Kernel& kernel, const Namespace& ns, const std::optional<std::string>& br) {
    std::string out;
    for (const auto& dev : ns.links) {
        if (shown(dev, br)) {
            const auto ports = ns.ports(dev);
            const bool a_port_has_it =
                std::any_of(ports.begin(), ports.end(), [&](const Link* p) { return p->mac == dev.mac; });
            if (!dev.mac.is_zero() && !a_port_has_it)
                out += fmt::format("{} dev {} master {} permanent\n", dev.mac.str(), dev.name, dev.name);
            continue;
        }
        const Link* bridge = dev.master ? ns.link(dev.master) : nullptr;
        if (!bridge || !shown(*bridge, br)) continue;
        for (const auto& [mac, port] : kernel.fdb_learned(ns.name, bridge->ifindex))
            if (port == dev.ifindex) out += fmt::format("{} dev {} master {} \n", mac.str(), dev.name, bridge->name);
        out += fmt::format("{} dev {} master {} permanent\n", dev.mac.str(), dev.name, bridge->name);
    }
    return out;
}

}  // namespace vethlab::sim
