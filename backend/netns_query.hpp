#pragma once
// Questions to one namespace's kernel over a NETLINK_ROUTE socket opened inside it (by
// a helper thread; the caller never changes namespace): `ip route get` (RTM_GETROUTE),
// its links (flags, operstate, qdisc) and its routes in the main and local tables.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/nl_request.hpp"
#include "backend/rtnl_dump.hpp"
#include "backend/unique_fd.hpp"
#include "model/result.hpp"
#include "model/route_answer.hpp"
#include "model/route_table.hpp"

namespace vethlab::backend {

// A link as verify reads it: flags, operstate, qdisc (rtnl_dump's reading).
using LiveLink = RtnlLink;

struct KernelNeighbour {
    std::string dev;
    Ipv4 ip;
    std::string state;  // as ip prints it: REACHABLE, STALE, DELAY, PROBE, FAILED, INCOMPLETE, ...
};

class NetnsQuery {
public:
    static Result<NetnsQuery> open(const std::string& ns);  // the kernel's name

    RouteAnswer route_get(Ipv4 dst);
    Result<std::vector<LiveLink>> links();
    // Tables main and local, each route with its device's ifindex (names from links()).
    Result<std::vector<Route>> routes();
    // The IPv4 neighbour (ARP) entries, as `ip -4 neigh` lists them (not NOARP ones).
    Result<std::vector<KernelNeighbour>> neighbours();
    // Every IPv4 address: (device, address), in the kernel's order.
    Result<std::vector<std::pair<std::string, Ipv4>>> addresses();
    // Deletes this namespace's IPv4 neighbour entries (not permanent ones), as
    // `ip -4 neigh flush all` would; returns how many went.
    Result<size_t> flush_neighbours();

private:
    std::string ifname(int ifindex);
    struct RawNeighbour {
        int ifindex;
        uint32_t dst_be;
        uint16_t state;
    };
    Result<std::vector<RawNeighbour>> dump_neighbours();  // from a snapshot of the links, refreshed on a miss

    NlSock sock_;
    std::map<int, std::string> names_;
};

// Linkwatch applies carrier changes up to about a second late (and flushes neighbours
// when it does): waits until, in every namespace, each up link with carrier is
// operationally up with its qdisc attached, for at most `limit`. Returns the links
// still unsettled ("ns:dev"), empty when all settled.
std::vector<std::string> wait_for_linkwatch(std::vector<NetnsQuery*> spaces, const std::vector<std::string>& names,
                                            std::chrono::milliseconds limit);

}  // namespace vethlab::backend
