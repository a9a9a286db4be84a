#pragma once
// One reading of the kernel's rtnetlink dumps, shared by everything that reads a
// namespace back (kernel_reader for inspect and diff, netns_query for verify, the libnl
// backend's name lookups): a RTM_NEWLINK message as a link -- kind, state, veth peer,
// bridge master --, a RTM_NEWADDR as an IPv4 address and a RTM_NEWROUTE as a model route.
#include <cstdint>
#include <optional>
#include <string>

#include "model/ipv4.hpp"
#include "model/mac.hpp"
#include "model/route_table.hpp"

struct nlmsghdr;

namespace vethlab::backend {

struct RtnlLink {
    int ifindex = 0;
    std::string name;
    std::string kind;       // "loopback", "veth", "tap", "tun", "dummy", "bridge", or IFLA_INFO_KIND as is
    unsigned flags = 0;     // IFF_UP, IFF_LOWER_UP, ...
    uint8_t operstate = 0;  // IF_OPER_*
    std::string qdisc;      // "noop" until linkwatch attached the real one
    uint32_t mtu = 0;
    Mac mac;
    int peer_ifindex = 0;          // IFLA_LINK (a veth's peer); 0 when none
    std::optional<int> peer_nsid;  // IFLA_LINK_NETNSID: the peer is in another namespace
    int master = 0;                // IFLA_MASTER: the bridge this link is a port of; 0 when none

    bool up() const;
    bool lower_up() const;
    bool has_lower() const { return peer_ifindex != 0 && peer_ifindex != ifindex; }
};

// nullopt when h is not a RTM_NEWLINK or has no name.
std::optional<RtnlLink> parse_link(nlmsghdr* h);

struct RtnlAddr {
    int ifindex = 0;
    IfAddr addr;  // IFA_LOCAL (else IFA_ADDRESS) with the prefix length
    std::optional<Ipv4> broadcast;
    uint8_t scope = 0;
    bool secondary = false;
};

// nullopt when h is not a RTM_NEWADDR for IPv4.
std::optional<RtnlAddr> parse_addr(nlmsghdr* h);

// An IPv4 route (oif as the kernel's ifindex); nullopt when h is not a RTM_NEWROUTE for
// IPv4. Dumps leave out cached clones and the types the model does not know
// (multicast, nat, throw); an answer to `ip route get` is a clone of its route.
enum class RouteParse { dump, answer };
std::optional<Route> parse_route(nlmsghdr* h, RouteParse what);

}  // namespace vethlab::backend
