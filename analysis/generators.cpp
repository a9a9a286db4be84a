#include "analysis/generators.hpp"

#include <fmt/format.h>

#include "analysis/addressing.hpp"

namespace vethlab::analysis {
namespace {

// ns0..ns9, or ns00..ns99, ...: as many digits as n-1 has, so names sort as numbers do.
std::string ns_name(uint64_t i, uint64_t n) {
    std::string digits = std::to_string(i);
    const size_t width = std::to_string(n > 1 ? n - 1 : 0).size();
    return "ns" + std::string(width - std::min(width, digits.size()), '0') + digits;
}

// Plans one shape: pairs in subnet order, then (if asked) routes and forwarding.
class Planner {
public:
    Planner(Plan& plan, SubnetPlan subnets, uint64_t pairs) : plan_(plan), subnets_(subnets) {
        plan_.namespaces.reserve(plan.n);
        for (uint64_t i = 0; i < plan.n; ++i) plan_.namespaces.push_back({ns_name(i, plan.n), {}, false});
        plan_.veths.reserve(pairs);
    }

    void pair(uint64_t i, uint64_t j) {
        const uint64_t k = plan_.veths.size();
        const std::string& a = plan_.namespaces[i].name;
        const std::string& b = plan_.namespaces[j].name;
        plan_.veths.push_back({a, "to-" + b, subnets_.end_a(k), b, "to-" + a, subnets_.end_b(k)});
    }
    // The address of end a (side 0) or b (side 1) of pair k: a gateway for the other end.
    Ipv4 gateway(uint64_t k, int side) const {
        return side == 0 ? subnets_.end_a(k).local() : subnets_.end_b(k).local();
    }
    // nsI reaches subnets first..last through `via`.
    void route(uint64_t i, uint64_t first, uint64_t last, Ipv4 via) {
        for (const Prefix& p : subnets_.cover(first, last)) plan_.namespaces[i].routes.push_back({p, via});
    }
    // The same for a run of `len` subnets starting at `start`, counted round a ring of n.
    void route_cyclic(uint64_t i, uint64_t start, uint64_t len, uint64_t n, Ipv4 via) {
        if (len == 0) return;
        start %= n;
        const uint64_t first_len = std::min(len, n - start);
        route(i, start, start + first_len - 1, via);
        if (len > first_len) route(i, 0, len - first_len - 1, via);
    }
    void forward(uint64_t i) { plan_.namespaces[i].forwarding = true; }

private:
    Plan& plan_;
    SubnetPlan subnets_;
};

// Pairs (i, j), i < j, lexicographically: the block of nsI is the pairs (i, k > i).
uint64_t mesh_block_start(uint64_t i, uint64_t n) { return i * (2 * n - i - 1) / 2; }

void plan_mesh(Planner& p, uint64_t n, bool routes) {
    for (uint64_t i = 0; i < n; ++i)
        for (uint64_t j = i + 1; j < n; ++j) p.pair(i, j);
    if (!routes || n < 3) return;
    for (uint64_t i = 0; i < n; ++i) {
        p.forward(i);
        for (uint64_t j = 0; j + 1 < n; ++j) {  // nsJ's block, less the subnet it shares with nsI
            if (j == i) continue;
            const uint64_t first = mesh_block_start(j, n), last = first + (n - j - 2);
            const uint64_t shared = i < j ? mesh_block_start(i, n) + (j - i - 1) : first + (i - j - 1);
            const Ipv4 via = p.gateway(shared, i < j ? 1 : 0);
            if (i < j) {
                p.route(i, first, last, via);
            } else {
                if (shared > first) p.route(i, first, shared - 1, via);
                if (shared < last) p.route(i, shared + 1, last, via);
            }
        }
    }
}

void plan_line(Planner& p, uint64_t n, bool routes) {
    for (uint64_t k = 0; k + 1 < n; ++k) p.pair(k, k + 1);
    if (!routes) return;
    for (uint64_t i = 0; i < n; ++i) {
        if (i >= 2) p.route(i, 0, i - 2, p.gateway(i - 1, 0));
        if (i + 2 < n) p.route(i, i + 1, n - 2, p.gateway(i, 1));
        if (i > 0 && i + 1 < n) p.forward(i);
    }
}

void plan_ring(Planner& p, uint64_t n, bool routes) {
    for (uint64_t k = 0; k < n; ++k) p.pair(k, (k + 1) % n);
    if (!routes) return;
    const uint64_t cw = (n - 1) / 2;  // subnets i+1 .. i+cw are nearer clockwise
    for (uint64_t i = 0; i < n; ++i) {
        p.forward(i);
        p.route_cyclic(i, i + 1, cw, n, p.gateway(i, 1));
        p.route_cyclic(i, i + cw + 1, n - 2 - cw, n, p.gateway((i + n - 1) % n, 0));
    }
}

void plan_star(Planner& p, uint64_t n, bool routes) {
    for (uint64_t k = 1; k < n; ++k) p.pair(0, k);
    if (!routes || n < 3) return;
    p.forward(0);
    for (uint64_t k = 0; k + 1 < n; ++k) {  // leaf k+1 on pair k
        if (k > 0) p.route(k + 1, 0, k - 1, p.gateway(k, 0));
        if (k + 2 < n) p.route(k + 1, k + 1, n - 2, p.gateway(k, 0));
    }
}

// One subnet for the n hosts of a bridge: the smallest prefix with n usable addresses.
Result<Plan> plan_bridge(uint64_t n, const GenOptions& options) {
    int len = 30;
    while (len > 0 && (uint64_t(1) << (32 - len)) - 2 < n) --len;
    if (len < options.pool.len())
        return Error{fmt::format("{} hosts need a /{} but the pool {} is smaller", n, len, options.pool.str())};
    Plan plan{Shape::bridge, n, options, {}, {}};
    plan.namespaces.reserve(n + 1);
    plan.namespaces.push_back({kSwitchNs, {}, false});
    const uint32_t base = options.pool.network().value();
    for (uint64_t i = 0; i < n; ++i) {
        const std::string host = ns_name(i, n);
        plan.namespaces.push_back({host, {}, false});
        plan.veths.push_back({kSwitchNs, "to-" + host, IfAddr(), host, "eth0", IfAddr(Ipv4(uint32_t(base + 1 + i)), len)});
    }
    return plan;
}

}  // namespace

Result<Plan> generate(Shape shape, uint64_t n, const GenOptions& options) {
    if (n == 0) return Error{"a topology needs at least one namespace"};
    if (shape == Shape::bridge) return plan_bridge(n, options);
    const uint64_t pairs = link_counts(shape, n).veth_pairs;
    auto subnets = SubnetPlan::make(options.pool, options.subnet_len, pairs);
    if (!subnets) return Error{subnets.error()};
    Plan plan{shape, n, options, {}, {}};
    Planner p(plan, *subnets, pairs);
    if (shape == Shape::ring && n < 3) shape = Shape::line;  // a ring of two is one pair
    switch (shape) {
        case Shape::mesh: plan_mesh(p, n, options.routes); break;
        case Shape::line: plan_line(p, n, options.routes); break;
        case Shape::ring: plan_ring(p, n, options.routes); break;
        case Shape::star: plan_star(p, n, options.routes); break;
        case Shape::bridge: break;
    }
    return plan;
}

namespace {

std::string bridge_yaml(const Plan& plan) {
    std::string out = fmt::format(
        "# vethlab gen bridge {}: {} host{} on the bridge {} in namespace '{}', one veth pair each,\n"
        "# one subnet ({}); the switch namespace has no address.\n",
        plan.n, plan.n, plan.n == 1 ? "" : "s", kBridgeName, kSwitchNs,
        plan.veths.empty() ? plan.options.pool.str() : plan.veths[0].addr_b.prefix().str());
    out += fmt::format("namespaces:\n  {}:\n    links:\n      {}: {{kind: bridge}}\n", kSwitchNs, kBridgeName);
    for (size_t i = 1; i < plan.namespaces.size(); ++i) out += fmt::format("  {}: {{lo: up}}\n", plan.namespaces[i].name);
    out += "veths:\n";
    for (const auto& v : plan.veths)
        out += fmt::format("  - a: {{end: {}:{}, master: {}}}\n    b: {}:{} {}\n", v.ns_a, v.if_a, kBridgeName, v.ns_b,
                           v.if_b, v.addr_b.str());
    return out;
}

}  // namespace

std::string plan_yaml(const Plan& plan) {
    if (plan.shape == Shape::bridge) return bridge_yaml(plan);
    static const char* const kHow[] = {
        "Each namespace reaches the subnets of nsJ's block (the pairs (j, k > j)) through nsJ,\n"
        "# which forwards",
        "", "Each subnet is routed the shorter way round the ring; every namespace forwards",
        "Each namespace routes the subnets on either side through its neighbour there, which forwards",
        "ns0 is the hub and forwards; each leaf routes the other leaves' subnets through it"};
    const auto counts = link_counts(plan.shape, plan.n);
    std::string out = fmt::format("# vethlab gen {} {}: {} namespace{}, {} veth pair{}, one /{} each from {}.\n",
                                  to_string(plan.shape), plan.n, plan.n, plan.n == 1 ? "" : "s", counts.veth_pairs,
                                  counts.veth_pairs == 1 ? "" : "s", plan.options.subnet_len,
                                  plan.options.pool.str());
    if (plan.options.routes && plan.n >= 3) out += fmt::format("# {}.\n", kHow[int(plan.shape)]);
    else if (!plan.options.routes) out += "# No routes: each namespace reaches the far end of its own veths.\n";
    out += "namespaces:\n";
    for (const auto& ns : plan.namespaces) {
        if (ns.routes.empty() && !ns.forwarding) {
            out += fmt::format("  {}: {{lo: up}}\n", ns.name);
            continue;
        }
        out += fmt::format("  {}:\n    lo: up\n", ns.name);
        if (!ns.routes.empty()) out += "    routes:\n";
        for (const auto& r : ns.routes) out += fmt::format("      - {} via {}\n", r.dst.str(), r.via.str());
        if (ns.forwarding) out += "    sysctl: {net.ipv4.ip_forward: 1}\n";
    }
    if (plan.veths.empty()) return out;
    out += "veths:\n";
    for (const auto& v : plan.veths)
        out += fmt::format("  - {}:{} {} -- {}:{} {}\n", v.ns_a, v.if_a, v.addr_a.str(), v.ns_b, v.if_b,
                           v.addr_b.str());
    return out;
}

TopologyGraph plan_graph(const Plan& plan) {
    std::vector<std::string> names;
    names.reserve(plan.namespaces.size());
    for (const auto& ns : plan.namespaces) names.push_back(ns.name);
    std::vector<VethEdge> edges;
    edges.reserve(plan.veths.size());
    for (const auto& v : plan.veths) edges.push_back({v.ns_a, v.if_a, v.ns_b, v.if_b});
    return TopologyGraph(std::move(names), std::move(edges));
}

}  // namespace vethlab::analysis
