#pragma once
// The answer to `ip route get DST` in one namespace: the kernel's output route (type,
// device, gateway, preferred source) or the error it refuses with. The simulator
// (sim/route_get) and the kernel (backend/netns_query) both give one; verify compares.
#include <string>

#include "model/ipv4.hpp"
#include "model/route.hpp"

namespace vethlab {

struct RouteAnswer {
    std::string error;  // "Network is unreachable", ... (strerror); empty when routed
    RouteType type = RouteType::unicast;
    std::string dev;
    Ipv4 gateway;  // 0.0.0.0: none
    Ipv4 src;
    bool operator==(const RouteAnswer&) const = default;
};

// As `ip route get` prints it, without the cache line:
// "10.2.0.1 via 10.1.0.254 dev ar0 src 10.1.0.1", "local 10.0.0.1 dev lo src 10.0.0.1",
// "RTNETLINK answers: Network is unreachable".
std::string format_route_answer(Ipv4 dst, const RouteAnswer& a);

}  // namespace vethlab
