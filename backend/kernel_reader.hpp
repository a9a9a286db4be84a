#pragma once
// Reading a namespace's live state from the kernel, read only: one NETLINK_ROUTE socket
// opened inside it (links with their veth peers' link-netnsid and bridge masters, IPv4 addresses, IPv4
// routes of every table) and its /proc/sys (the sysctls the model knows).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backend/rtnl_dump.hpp"
#include "model/ipv4.hpp"
#include "model/result.hpp"
#include "model/route_table.hpp"

namespace vethlab::backend {

struct KernelLink : RtnlLink {
    std::string peer_ns;  // a veth peer's namespace, when it is one of those read
};

using KernelAddr = RtnlAddr;

struct KernelNs {
    std::string name;  // as on the kernel
    std::vector<KernelLink> links;  // ascending ifindex
    std::vector<KernelAddr> addrs;  // the kernel's order
    std::vector<Route> routes;      // oif as the kernel's ifindex
    std::map<std::string, std::string> sysctls;  // every key the model knows

    const KernelLink* link(int ifindex) const;
};

// Reads the namespaces (names as on the kernel); a veth's peer_ns is resolved among them.
Result<std::vector<KernelNs>> read_namespaces(const std::vector<std::string>& names);

// The names under /run/netns starting with prefix, sorted.
std::vector<std::string> netns_names(const std::string& prefix);

}  // namespace vethlab::backend
