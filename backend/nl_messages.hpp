#pragma once
// The rtnetlink requests vethlab sends, built as iproute2 builds them for the same
// command, so the kernel sees (and answers) the same thing under vethlab and under ip.
#include <cstdint>

#include "backend/netlink.hpp"
#include "backend/nl_request.hpp"

namespace vethlab::backend::msg {

// RTM_NEWLINK for a veth pair: `a` in the socket's namespace, `b` in peer_ns_fd's
// (-1: the same one). Only `a` can start up: the kernel configures the peer before
// the two ends know each other, so its IFF_UP fails with ENOTCONN (veth_open).
NlMsg veth(const VethEnd& a, const VethEnd& b, int peer_ns_fd);
NlMsg dummy(const std::string& name, const LinkOpts& opts);
NlMsg bridge(const std::string& name, const LinkOpts& opts);
// RTM_NEWLINK on an existing link: by index if ifindex > 0, else by name. master_index:
// IFLA_MASTER when change.master is set (0 releases the link from its bridge).
NlMsg set_link(int ifindex, const std::string& name, const LinkChange& change, int netns_fd, int master_index = 0);
NlMsg del_link(int ifindex);
NlMsg address(bool add, int ifindex, const IfAddr& addr, std::optional<Ipv4> broadcast = std::nullopt);
NlMsg route(RouteOp op, const RouteSpec& spec, int oif);
NlMsg dump_links();
NlMsg dump_addresses();  // IPv4

}  // namespace vethlab::backend::msg
