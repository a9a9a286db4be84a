// Route edits with the kernel's rules (fib_frontend.c rtm_to_fib_config, fib_semantics.c
// fib_create_info / fib_check_nh, fib_trie.c fib_table_insert / fib_table_delete) and
// the fib lookup the gateway check needs.
#include <algorithm>
#include <bit>

#include "model/netstate.hpp"
#include "model/netstate_errors.hpp"

namespace vethlab {
namespace {

bool is_error_type(RouteType t) {
    return t == RouteType::blackhole || t == RouteType::unreachable || t == RouteType::prohibit;
}

// fib_table_delete: the first route with the key whose given attributes match.
bool matches_for_delete(const Route& r, const RouteSpec& s, const Route& want) {
    if (r.table != want.table || r.dst != want.dst || r.tos != want.tos) return false;
    if (want.metric && r.metric != want.metric) return false;
    if (s.type_given && r.type != want.type) return false;
    if (want.scope != RouteScope::nowhere && r.scope != want.scope) return false;
    if (!want.prefsrc.is_zero() && r.prefsrc != want.prefsrc) return false;
    if (want.proto != RouteProto::unspec && r.proto != want.proto) return false;
    if (want.oif && r.oif != want.oif) return false;
    if (!want.gateway.is_zero() && r.gateway != want.gateway) return false;
    return true;
}

}  // namespace

const Route* NetState::lookup(const Namespace& n, Ipv4 dst, RouteScope min_scope, int oif) const {
    auto accept = [&](const Route& r) {
        if (uint8_t(r.scope) < uint8_t(min_scope)) return false;
        return is_error_type(r.type) || !oif || r.oif == oif;
    };
    if (const Route* r = n.routes.lookup(kTableLocal, dst, accept)) return r;
    return n.routes.lookup(kTableMain, dst, accept);
}

// The nexthop checks of fib_create_info/fib_check_nh: fills r.oif for gateway routes.
static std::optional<std::string> check_nexthop(const NetState& st, const Namespace& n, Route& r) {
    if (is_error_type(r.type)) {
        if (!r.gateway.is_zero() || r.oif)
            return errors::extack("Gateway, device and multipath can not be specified for this route type");
        return std::nullopt;
    }
    if (r.scope == RouteScope::nowhere) return errors::extack("Invalid scope");
    if (r.scope == RouteScope::host) {
        if (!r.gateway.is_zero()) return errors::extack("Route with host scope can not have a gateway");
        if (!r.oif) return errors::rtnl(errors::kNoDev);
        return std::nullopt;
    }
    if (r.gateway.is_zero()) {
        const Link* dev = r.oif ? n.link(r.oif) : nullptr;
        if (!dev) return errors::rtnl(errors::kNoDev);
        if (!dev->admin_up) return errors::extack("Device for nexthop is not up");
        return std::nullopt;
    }
    if (r.onlink) {
        const Link* dev = r.oif ? n.link(r.oif) : nullptr;
        if (!dev) return errors::extack("Nexthop device required for onlink");
        if (uint8_t(r.scope) >= uint8_t(RouteScope::link)) return errors::extack("Nexthop has invalid scope");
        const Route* via = st.lookup(n, r.gateway, RouteScope::universe, 0);
        if (via && via->type != RouteType::unicast) return errors::extack("Nexthop has invalid gateway");
        if (!dev->admin_up) return errors::extack("Nexthop device is not up");
        return std::nullopt;
    }
    const uint8_t wanted = std::max<uint8_t>(uint8_t(r.scope) + 1, uint8_t(RouteScope::link));
    const Route* via = st.lookup(n, r.gateway, RouteScope(wanted), r.oif);
    if (!via || (via->type != RouteType::unicast && via->type != RouteType::local))
        return errors::extack("Nexthop has invalid gateway");
    r.oif = via->oif;
    const Link* dev = n.link(r.oif);
    if (!dev) return errors::extack("No egress device for nexthop");
    if (!dev->admin_up) return errors::rtnl(errors::kNetDown);
    return std::nullopt;
}

// The route an edit names: iproute2's defaults filled in, the device resolved.
static std::optional<std::string> route_of(const RouteEdit& e, const Namespace& n, Route& r) {
    const RouteSpec& s = e.route;
    r.table = s.effective_table();
    r.type = s.type;
    r.dst = s.dst;
    r.tos = s.tos;
    r.metric = s.metric.value_or(0);
    r.gateway = s.via.value_or(Ipv4());
    r.prefsrc = s.src.value_or(Ipv4());
    r.scope = s.effective_scope(e.op);
    r.proto = s.proto.value_or(e.op == RouteOp::del ? RouteProto::unspec : RouteProto::boot);
    r.onlink = s.onlink;
    if (s.dev) {
        const Link* dev = n.link(*s.dev);
        if (!dev) return errors::no_device(*s.dev);
        r.oif = dev->ifindex;
    }
    return std::nullopt;
}

// fib_table_insert for add, change, replace and append of a checked route.
static std::optional<std::string> insert_route(RouteTable& routes, RouteOp op, const Route& r) {
    // The first route with the same key (table, dst, tos, metric).
    const auto same =
        routes.find_first(r.table, r.dst, [&](const Route& x) { return x.tos == r.tos && x.metric == r.metric; });
    constexpr auto none = RouteTable::kNone;
    switch (op) {
        case RouteOp::add:
            if (same != none) return errors::rtnl(errors::kExists);
            routes.push_back(r);
            break;
        case RouteOp::change:
        case RouteOp::replace: {
            if (same == none) {
                if (op == RouteOp::change) return errors::rtnl(errors::kNoEntry);
                routes.push_back(r);
                break;
            }
            // fa_match: the same route (type and nexthop) already among the aliases of
            // this key. The first one: nothing to do; a later one: EEXIST (found by
            // fuzz-diff, tests/corpus/route-replace-existing-alias.sh).
            if (const auto match = routes.find(r); match != none) {
                if (match == same) break;
                return errors::rtnl(errors::kExists);
            }
            routes.replace(same, r);
            break;
        }
        case RouteOp::append:
            if (routes.find(r) != none) return errors::rtnl(errors::kExists);
            routes.push_back(r);
            break;
        case RouteOp::del: break;
    }
    return std::nullopt;
}

std::optional<std::string> NetState::apply_op(const RouteEdit& e) {
    Namespace* found = find_ns(e.ns);
    if (!found) return errors::no_netns(e.ns);
    Namespace& n = *found;
    Route r;
    if (auto err = route_of(e, n, r)) return err;
    if (e.op == RouteOp::del) {
        if (!n.has_table(r.table)) return errors::extack("FIB table does not exist");
        // The aliases of a key are sorted by metric: without one the lowest-metric match
        // goes first (fib_find_alias from priority 0), on a tie the oldest (found by
        // fuzz-diff, seed 5133, tests/corpus/route-del-lowest-metric-first.sh).
        std::optional<uint32_t> lowest;
        n.routes.for_each_with_dst(r.table, r.dst, [&](const Route& x) {
            if (matches_for_delete(x, e.route, r) && (!lowest || x.metric < *lowest)) lowest = x.metric;
        });
        const auto h = !lowest ? RouteTable::kNone : n.routes.find_first(r.table, r.dst, [&](const Route& x) {
            return x.metric == *lowest && matches_for_delete(x, e.route, r);
        });
        if (h == RouteTable::kNone) return errors::rtnl(errors::kNoProcess);
        n.routes.erase(h);
        return std::nullopt;
    }
    note_table(n, r.table);  // inet_rtm_newroute: fib_new_table before the nexthop checks
    if (auto err = check_nexthop(*this, n, r)) return err;
    if (!r.prefsrc.is_zero() && !(r.type == RouteType::local && r.dst == Prefix(r.prefsrc, 32)) &&
        !n.has_local_address(r.prefsrc))
        return errors::extack("Invalid prefsrc address");
    return insert_route(n.routes, e.op, r);
}

std::vector<const Route*> Namespace::sorted_routes(uint32_t table) const {
    std::vector<const Route*> out;
    for (const auto& r : routes)
        if (r.table == table) out.push_back(&r);
    // fib_trie walks keys in ascending order; within a key longer prefixes first, then
    // tos and metric; routes with equal keys keep their insertion order.
    std::stable_sort(out.begin(), out.end(), [](const Route* a, const Route* b) {
        if (a->dst.network() != b->dst.network()) return a->dst.network() < b->dst.network();
        if (a->dst.len() != b->dst.len()) return a->dst.len() > b->dst.len();
        if (a->tos != b->tos) return a->tos > b->tos;
        return a->metric < b->metric;
    });
    return out;
}

}  // namespace vethlab
