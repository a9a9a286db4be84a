#include "random_topology.hpp"

#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include "sim/route_printer.hpp"

namespace vethlab::testing {
namespace {

class Generator {
public:
    explicit Generator(uint64_t seed) : rng_(seed) {}

    Topology make() {
        const int namespaces = pick(1, 4);
        for (int i = 0; i < namespaces; ++i) keep(NetnsAdd{fmt::format("n{}", i)});
        const int links = pick(0, 6);
        for (int i = 0; i < links; ++i) add_link(namespaces, i);
        if (chance(30)) add_bridge(namespaces);
        for (int i = 0; i < pick(0, 8); ++i) add_address();
        for (const auto& [ns, dev] : devices_)
            if (chance(70)) keep(LinkSet{.ns = ns, .name = dev, .up = true});
        for (int i = 0; i < namespaces; ++i)
            if (chance(50)) keep(LinkSet{.ns = fmt::format("n{}", i), .name = "lo", .up = true});
        for (int i = 0; i < pick(0, 6); ++i) add_route();
        for (int i = 0; i < namespaces; ++i) add_sysctls(fmt::format("n{}", i));
        return std::move(topo_);
    }

private:
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(int percent) { return pick(1, 100) <= percent; }
    std::string any_ns() { return fmt::format("n{}", pick(0, int(state_.namespaces().size()) - 2)); }

    bool keep(EditOp op) {
        if (state_.apply(op)) return false;
        topo_.edits.push_back(Edit{std::move(op), {"random", int(topo_.edits.size()) + 1, 1}, "random edit"});
        return true;
    }

    void add_link(int namespaces, int i) {
        const std::string ns = fmt::format("n{}", pick(0, namespaces - 1));
        const int kind = pick(0, 9);
        if (kind < 7) {
            const std::string peer_ns = fmt::format("n{}", pick(0, namespaces - 1));
            LinkAdd e{.ns = ns, .name = fmt::format("v{}a", i), .kind = LinkKind::veth, .peer = fmt::format("v{}b", i),
                      .peer_netns = peer_ns};
            if (chance(20)) e.mtu = uint32_t(pick(1280, 9000));
            if (chance(20)) e.mac = Mac::local(0xabc000 + uint64_t(i));
            if (keep(e)) {
                devices_.push_back({ns, e.name});
                devices_.push_back({peer_ns, e.peer});
            }
            return;
        }
        LinkAdd e{.ns = ns, .name = fmt::format("{}{}", kind == 7 ? "tap" : "d", i),
                  .kind = kind == 7 ? LinkKind::tap : LinkKind::dummy};
        if (keep(e)) devices_.push_back({ns, e.name});
    }

    // A bridge in one namespace; each device there joins it by chance (some refused:
    // another bridge, lo is never offered).
    void add_bridge(int namespaces) {
        const std::string ns = fmt::format("n{}", pick(0, namespaces - 1));
        if (!keep(LinkAdd{.ns = ns, .name = "br0", .kind = LinkKind::bridge})) return;
        for (const auto& [dns, dev] : devices_)
            if (dns == ns && chance(60)) keep(LinkSet{.ns = ns, .name = dev, .master = std::string("br0")});
        devices_.push_back({ns, "br0"});
    }

    void add_address() {
        if (devices_.empty()) return;
        const auto& [ns, dev] = devices_[size_t(pick(0, int(devices_.size()) - 1))];
        const int len = std::array{24, 30, 31, 32, 16}[size_t(pick(0, 4))];
        keep(AddrAdd{ns, dev, IfAddr(Ipv4(10, uint8_t(pick(0, 3)), uint8_t(pick(0, 3)), uint8_t(pick(1, 6))), len)});
    }

    void add_route() {
        const std::string ns = any_ns();
        RouteEdit e{.ns = ns, .op = RouteOp::replace};
        e.route.dst = Prefix(Ipv4(uint32_t(pick(0, 255)) << 24 | uint32_t(pick(0, 255)) << 16), pick(0, 3) ? 16 : 0);
        const int kind = pick(0, 9);
        if (kind < 4) {
            e.route.via = Ipv4(10, uint8_t(pick(0, 3)), uint8_t(pick(0, 3)), uint8_t(pick(1, 6)));
        } else if (kind < 8 && !devices_.empty()) {
            e.route.dev = devices_[size_t(pick(0, int(devices_.size()) - 1))].second;
        } else {
            e.route.type = std::array{RouteType::blackhole, RouteType::unreachable, RouteType::prohibit}[size_t(pick(0, 2))];
            e.route.type_given = true;
        }
        if (chance(30)) e.route.metric = uint32_t(pick(1, 500));
        keep(e);
    }

    void add_sysctls(const std::string& ns) {
        if (chance(30)) keep(SysctlSet{ns, "net.ipv4.ip_forward", "1"});
        if (chance(20)) keep(SysctlSet{ns, "net.ipv4.conf.all.rp_filter", std::to_string(pick(0, 2))});
        for (const auto& [dns, dev] : devices_)
            if (dns == ns && chance(10)) keep(SysctlSet{ns, "net.ipv4.conf." + dev + ".arp_ignore", "1"});
    }

    std::mt19937_64 rng_;
    NetState state_;
    Topology topo_{"random", {}};
    std::vector<std::pair<std::string, std::string>> devices_;
};

std::string describe_link(const NetState& st, const Namespace& ns, const Link& l) {
    std::string out = fmt::format("{} kind={} up={} mtu={} conf=", l.name, to_string(l.kind), l.admin_up, l.mtu);
    for (const auto& [k, v] : l.conf) out += k + ":" + v + (conf_own(l, k) ? "(own)," : ",");
    for (const auto& a : l.addrs) out += " " + a.addr.str() + (a.secondary ? "(sec)" : "");
    if (auto p = st.peer(ns, l)) out += " peer=" + p->first->name + ":" + p->second->name;
    if (l.master) out += " master=" + ns.ifname(l.master);
    return out;
}

std::set<std::string> describe(const NetState& st) {
    std::set<std::string> out;
    for (const auto& [name, ns] : st.namespaces()) {
        for (const auto& l : ns.links) out.insert(fmt::format("[{}] link {}", name, describe_link(st, ns, l)));
        std::set<uint32_t> tables;
        for (const auto& r : ns.routes) tables.insert(r.table);
        for (uint32_t t : tables) out.insert(fmt::format("[{}] table {}:\n{}", name, t, sim::format_ip_route(st, ns, t)));
        for (const auto& [k, v] : ns.sysctls) out.insert(fmt::format("[{}] sysctl {}={}", name, k, v));
    }
    return out;
}

}  // namespace

Topology random_topology(uint64_t seed) { return Generator(seed).make(); }

std::string state_difference(const NetState& a, const NetState& b) {
    const auto da = describe(a), db = describe(b);
    for (const auto& x : da)
        if (!db.count(x)) return "only in the first: " + x;
    for (const auto& x : db)
        if (!da.count(x)) return "only in the second: " + x;
    return "";
}

}  // namespace vethlab::testing
