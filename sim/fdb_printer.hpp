#pragma once
// What iproute2 `bridge fdb show [br BR]` prints of the bridges' own (master) entries.
#include <optional>
#include <string>

#include "model/netstate.hpp"
#include "sim/kernel.hpp"

namespace vethlab::sim {

// Devices in ifindex order (rtnl_fdb_dump walks them so); for each:
//  - a bridge: its own MAC, unless a port has it or it is all-zero
//    "MAC dev br0 master br0 permanent";
//  - a port: its learned entries newest first, "MAC dev va master br0 " (iproute2 ends the
//    line with a space), then its own MAC "MAC dev va master br0 permanent".
// The `self` lines (the devices' multicast lists, which follow IPv6 and IGMP) are not
// printed. With br: only that bridge and its ports; a device that is not a bridge gives
// nothing, as on the kernel.
std::string format_bridge_fdb(const Kernel& kernel, const Namespace& ns, const std::optional<std::string>& br);

}  // namespace vethlab::sim
