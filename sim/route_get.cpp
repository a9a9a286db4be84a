#include "sim/route_get.hpp"

namespace vethlab::sim {

RouteAnswer route_get(Kernel& kernel, const NetState& state, const std::string& ns, Ipv4 dst) {
    RouteAnswer a;
    auto r = kernel.route_output(ns, dst);
    if (!r) {
        a.error = r.error();
        return a;
    }
    const Namespace* n = state.ns(ns);
    if (r->route) a.type = r->route->type;
    // Local delivery goes through lo, whichever device holds the address.
    a.dev = r->local ? "lo" : (n ? n->ifname(r->oif) : "");
    if (r->route && kernel.uses_gateway(ns, *r->route)) a.gateway = r->route->gateway;
    a.src = r->src;
    return a;
}

}  // namespace vethlab::sim
