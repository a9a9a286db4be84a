// NetState's indexes against scans of what they index, over random edits that collide:
// renames onto taken names, moves into namespaces holding the name, deletions of what
// others point at, routes with and without devices, sources and metrics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <string>

#include <fmt/format.h>

#include "model/netstate.hpp"

using namespace vethlab;

namespace {

// The fib lookup as a scan over every route: the reference for the indexed one.
const Route* scan_lookup(const Namespace& n, Ipv4 dst, RouteScope min_scope, int oif) {
    auto error_type = [](RouteType t) {
        return t == RouteType::blackhole || t == RouteType::unreachable || t == RouteType::prohibit;
    };
    for (uint32_t table : {kTableLocal, kTableMain}) {
        const Route* best = nullptr;
        for (const auto& r : n.routes) {
            if (r.table != table || !r.dst.contains(dst) || uint8_t(r.scope) < uint8_t(min_scope)) continue;
            if (!error_type(r.type) && oif && r.oif != oif) continue;
            if (!best || r.dst.len() > best->dst.len() ||
                (r.dst.len() == best->dst.len() &&
                 (r.tos < best->tos || (r.tos == best->tos && r.metric < best->metric))))
                best = &r;
        }
        if (best) return best;
    }
    return nullptr;
}

// Random edits over few names, so that they collide.
class EditGen {
public:
    explicit EditGen(uint64_t seed) : rng_(seed) {}

    EditOp next(const NetState& st) {
        const std::string ns = pick_ns(st);
        switch (pick(12)) {
            case 0: return coin(20) ? EditOp(NetnsDel{ns}) : EditOp(NetnsAdd{pick_of(kNamespaces)});
            case 1:
            case 2: return link_add(ns);
            case 3: return LinkDel{ns, pick_dev(st, ns)};
            case 4:
            case 5: return link_set(st, ns);
            case 6:
            case 7: return AddrAdd{ns, pick_dev(st, ns), IfAddr(addr(), len())};
            case 8: return AddrDel{ns, pick_dev(st, ns), IfAddr(addr(), len())};
            case 9: return SysctlSet{ns, "net.ipv4.conf.all.promote_secondaries", coin(50) ? "1" : "0"};
            default: return route_edit(st, ns);
        }
    }
    Ipv4 addr() { return Ipv4(10, 0, uint8_t(pick(2)), uint8_t(pick(6))); }

private:
    static constexpr const char* kNamespaces[] = {"", "a", "b", "c"};
    static constexpr const char* kDevices[] = {"v0", "v1", "v2", "d0", "lo"};

    int pick(int n) { return int(rng_() % uint64_t(n)); }
    bool coin(int percent) { return pick(100) < percent; }
    template <class T, size_t N>
    const char* pick_of(T (&names)[N]) { return names[pick(int(N))]; }
    int len() { return std::array{24, 30, 32, 16}[size_t(pick(4))]; }

    std::string pick_ns(const NetState& st) {
        auto it = st.namespaces().begin();
        std::advance(it, pick(int(st.namespaces().size())));
        return coin(90) ? it->first : pick_of(kNamespaces);
    }
    std::string pick_dev(const NetState& st, const std::string& ns) {
        const Namespace* n = st.ns(ns);
        if (n && coin(80)) return n->links[size_t(pick(int(n->links.size())))].name;
        return pick_of(kDevices);
    }
    EditOp link_add(const std::string& ns) {
        LinkAdd e{.ns = ns, .name = pick_of(kDevices), .kind = coin(70) ? LinkKind::veth : LinkKind::dummy};
        if (coin(50)) e.up = true;
        if (e.kind == LinkKind::veth) {
            e.peer = pick_of(kDevices);
            e.peer_netns = pick_of(kNamespaces);
        }
        return e;
    }
    EditOp link_set(const NetState& st, const std::string& ns) {
        LinkSet e{.ns = ns, .name = pick_dev(st, ns)};
        if (coin(30)) e.netns = pick_of(kNamespaces);
        if (coin(30)) e.new_name = pick_of(kDevices);
        if (coin(70)) e.up = coin(70);
        return e;
    }
    EditOp route_edit(const NetState& st, const std::string& ns) {
        RouteEdit e{.ns = ns, .op = RouteOp(pick(5))};
        e.route.dst = Prefix(addr(), len());
        if (coin(50)) e.route.dev = pick_dev(st, ns);
        if (coin(20)) e.route.via = addr();
        if (coin(30)) e.route.metric = uint32_t(pick(2) * 10);
        if (coin(10)) e.route.tos = 4;
        if (coin(10)) e.route.src = addr();
        if (coin(10)) {
            e.route.type = RouteType::blackhole;
            e.route.type_given = true;
            e.route.dev.reset();
            e.route.via.reset();
        }
        return e;
    }

    std::mt19937_64 rng_;
};

// Every index question answered as a scan over what it indexes; "" when all agree.
std::string index_mismatch(const NetState& st, EditGen& probe) {
    for (const auto& [name, n] : st.namespaces()) {
        std::multiset<uint32_t> locals;
        for (const auto& l : n.links) {
            if (n.link(l.name) != &l || n.link(l.ifindex) != &l) return fmt::format("[{}] device {}", name, l.name);
            for (const auto& a : l.addrs) locals.insert(a.addr.local().value());
        }
        for (const char* d : {"v0", "v1", "v2", "d0", "lo", "zz"}) {
            const Link* l = n.link(d);
            const bool exists = std::any_of(n.links.begin(), n.links.end(), [&](const Link& x) { return x.name == d; });
            if (l ? l->name != d : exists) return fmt::format("[{}] name {}", name, d);
        }
        for (int i = 0; i < 16; ++i) {
            const Ipv4 a = probe.addr();
            if (n.has_local_address(a) != (locals.count(a.value()) > 0))
                return fmt::format("[{}] local {}", name, a.str());
            for (RouteScope s : {RouteScope::universe, RouteScope::link, RouteScope::host})
                for (int oif : {0, 1, 2, 3})
                    if (st.lookup(n, a, s, oif) != scan_lookup(n, a, s, oif))
                        return fmt::format("[{}] lookup {} scope {} oif {}", name, a.str(), int(s), oif);
        }
    }
    return "";
}

}  // namespace

TEST_CASE("index: random edits keep every index equal to a scan", "[netstate]") {
    for (uint64_t seed = 1; seed <= 60; ++seed) {
        EditGen gen(seed), probe(seed + 1000);
        NetState st;
        std::string mismatch;
        for (int step = 0; step < 300 && mismatch.empty(); ++step) {
            const EditOp op = gen.next(st);
            NetState copy = st;
            const auto result = st.apply(op);
            if (copy.apply(op) != result || !(copy == st)) mismatch = "a copy went another way";
            if (mismatch.empty()) mismatch = index_mismatch(st, probe);
            if (!mismatch.empty()) mismatch = fmt::format("seed {} step {}: {}", seed, step, mismatch);
        }
        CHECK(mismatch == "");
    }
}

