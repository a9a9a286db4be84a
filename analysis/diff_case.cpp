#include "analysis/diff_case.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <vector>

namespace vethlab::analysis {
namespace {

struct End {
    int ns = 0;
    std::string dev;
    std::string addr;  // "10.1.0.1" or empty
};

struct VethLink {
    End a, b;
    std::string subnet;  // "10.1.0.0/24"
    int len = 24;
};

struct RouteLine {
    int ns = 0;
    std::string dst;   // "10.2.0.0/24", "default"
};

class Generator {
public:
    Generator(uint64_t seed, const CaseOptions& opt) : rng_(seed), opt_(opt), seed_(seed) {
        slow_ = pick(100) < opt.slow_cases_per_100;
    }

    std::string run() {
        out_ = fmt::format("# vethlab fuzz-diff case{}\n", slow_ ? " (the last ping waits for ARP to give up)" : "");
        build_namespaces();
        build_links();
        build_extras();
        bring_up();
        add_routes();
        set_sysctls();
        for (int i = 0; i < opt_.steps; ++i) step();
        for (int i = 0; i < 2; ++i) ping(i == 1 && slow_);
        show(4);  // ip neigh
        if (opt_.bridges) bridge_section();
        return out_;
    }

private:
    int pick(int n) { return int(rng_() % uint64_t(n)); }
    bool chance(int percent) { return pick(100) < percent; }
    std::string ns(int i) const { return fmt::format("n{}", i); }
    void line(const std::string& s) { out_ += s + "\n"; }
    void ip(int n, const std::string& rest) { line(fmt::format("ip -n {} {}", ns(n), rest)); }
    void sysctl(int n, const std::string& kv) { line(fmt::format("ip netns exec {} sysctl -w {}", ns(n), kv)); }

    void build_namespaces() {
        nns_ = 2 + pick(3);
        for (int i = 0; i < nns_; ++i) line("ip netns add " + ns(i));
        for (int i = 0; i < nns_; ++i)
            if (chance(75)) {
                ip(i, "link set lo up");
                lo_up_.push_back(i);
            }
    }

    // A random tree over the namespaces plus sometimes one more pair; a subnet each,
    // now and then the same subnet as an earlier pair or a /16 around one.
    void build_links() {
        std::vector<std::pair<int, int>> pairs;
        for (int i = 1; i < nns_; ++i) pairs.push_back({pick(i), i});
        if (chance(35)) {
            const int x = pick(nns_), y = pick(nns_);
            if (x != y) pairs.push_back({x, y});
        }
        for (size_t l = 0; l < pairs.size(); ++l) {
            VethLink k;
            k.a = {pairs[l].first, fmt::format("v{}a", l), ""};
            k.b = {pairs[l].second, fmt::format("v{}b", l), ""};
            std::string h1 = fmt::format("10.{}.0.1", l + 1), h2 = fmt::format("10.{}.0.2", l + 1);
            k.subnet = fmt::format("10.{}.0.0/24", l + 1);
            if (l > 0 && chance(12)) {  // overlapping: the same /24 as an earlier pair
                const size_t o = size_t(pick(int(l)));
                h1 = fmt::format("10.{}.0.3", o + 1), h2 = fmt::format("10.{}.0.4", o + 1);
                k.subnet = links_[o].subnet;
            } else if (l > 0 && chance(12)) {  // a /16 around an earlier /24
                const size_t o = size_t(pick(int(l)));
                h1 = fmt::format("10.{}.9.1", o + 1), h2 = fmt::format("10.{}.9.2", o + 1);
                k.subnet = fmt::format("10.{}.0.0/16", o + 1);
                k.len = 16;
            }
            ip(k.a.ns, fmt::format("link add {} type veth peer name {} netns {}", k.a.dev, k.b.dev, ns(k.b.ns)));
            if (chance(93)) k.a.addr = h1;
            if (chance(93)) k.b.addr = h2;
            for (const End* e : {&k.a, &k.b})
                if (!e->addr.empty()) ip(e->ns, fmt::format("addr add {}/{} dev {}", e->addr, k.len, e->dev));
            links_.push_back(k);
        }
    }

    // A tap without carrier (as in the seed article), addresses held on lo or on another
    // device (weak host).
    void build_extras() {
        if (chance(30)) {
            tap_ns_ = pick(nns_);
            ip(tap_ns_, "tuntap add dev tap0 mode tap");
            if (chance(50)) {
                const auto& k = links_[size_t(pick(int(links_.size())))];
                tap_addr_ = k.subnet.substr(0, k.subnet.rfind('.')) + ".7";
                ip(tap_ns_, fmt::format("addr add {}/{} dev tap0", tap_addr_, k.len));
            } else {
                tap_addr_ = "10.77.0.1";
                ip(tap_ns_, "addr add 10.77.0.1/24 dev tap0");
            }
        }
        for (int i = 0; i < nns_; ++i) {
            if (!chance(25)) continue;
            const std::string a = fmt::format("10.200.{}.1", i);
            extra_addrs_.push_back(a);
            ip(i, fmt::format("addr add {}/32 dev lo", a));
        }
    }

    void bring_up() {
        for (const auto& k : links_)
            for (const End* e : {&k.a, &k.b})
                if (chance(92)) ip(e->ns, "link set " + e->dev + " up");
        if (tap_ns_ >= 0 && chance(85)) ip(tap_ns_, "link set tap0 up");
    }

    std::vector<const End*> ends_in(int n) const {
        std::vector<const End*> out;
        for (const auto& k : links_) {
            if (k.a.ns == n) out.push_back(&k.a);
            if (k.b.ns == n) out.push_back(&k.b);
        }
        return out;
    }
    const End& peer_of(const End* e) const {
        for (const auto& k : links_) {
            if (&k.a == e) return k.b;
            if (&k.b == e) return k.a;
        }
        return *e;
    }

    // A route to a subnet from namespace n: via the far end of one of n's pairs, a
    // device route, a gateway nobody has, or through the tap.
    std::string route_target(int n) {
        const auto ends = ends_in(n);
        const End* e = ends[size_t(pick(int(ends.size())))];
        const End& far = peer_of(e);
        const int r = pick(100);
        if (r < 60 && !far.addr.empty()) return "via " + far.addr;
        if (r < 75) return "dev " + e->dev;
        if (r < 82 && tap_ns_ == n) return "dev tap0";
        if (r < 88) return "via 10.99.0.1";  // a gateway on no link: refused
        return "via " + (far.addr.empty() ? std::string("10.1.0.2") : far.addr) + " dev " + e->dev;
    }

    std::string some_dst() {
        const int r = pick(100);
        if (r < 55) return links_[size_t(pick(int(links_.size())))].subnet;
        if (r < 70) return "default";
        if (r < 80 && !extra_addrs_.empty()) return extra_addrs_[size_t(pick(int(extra_addrs_.size())))] + "/32";
        if (r < 90) return "10.60.0.0/16";  // to nowhere
        return fmt::format("10.{}.0.0/16", 1 + pick(int(links_.size())));
    }

    void add_route(int n, const char* verb) {
        const std::string dst = some_dst();
        const int r = pick(100);
        std::string spec;
        if (r < 8) spec = "blackhole " + dst;
        else if (r < 14) spec = "unreachable " + dst;
        else if (r < 18) spec = "prohibit " + dst;
        else spec = dst + " " + route_target(n);
        if (chance(25)) spec += fmt::format(" metric {}", 10 * (1 + pick(3)));
        ip(n, fmt::format("route {} {}", verb, spec));
        routes_.push_back({n, dst});
    }

    void add_routes() {
        for (int n = 0; n < nns_; ++n) {
            const int count = pick(4);
            for (int i = 0; i < count; ++i) add_route(n, chance(85) ? "add" : "append");
        }
    }

    void set_sysctls() {
        for (int n = 0; n < nns_; ++n) {
            if (ends_in(n).size() >= 2 && chance(70)) sysctl(n, "net.ipv4.ip_forward=1");
            if (chance(12)) sysctl(n, fmt::format("net.ipv4.conf.all.rp_filter={}", 1 + pick(2)));
            if (chance(12)) sysctl(n, fmt::format("net.ipv4.conf.all.arp_ignore={}", 1 + pick(2)));
        }
    }

    std::vector<std::string> targets() const {
        std::vector<std::string> out;
        for (const auto& k : links_)
            for (const End* e : {&k.a, &k.b})
                if (!e->addr.empty()) out.push_back(e->addr);
        for (const auto& a : extra_addrs_) out.push_back(a);
        if (!tap_addr_.empty()) out.push_back(tap_addr_);
        out.push_back("10.1.0.9");     // on a link, nobody's
        out.push_back("127.0.0.1");
        out.push_back("192.168.7.7");  // no route unless a default
        return out;
    }

    // A ping that may wait for ARP to give up (4 s) ends the slow cases only: a
    // failing one costs its whole wait.
    void ping(bool slow = false) {
        const auto t = targets();
        const std::string dst = t[size_t(pick(int(t.size())))];
        const double wait = slow ? 4.0 : opt_.ping_wait;
        line(fmt::format("ip netns exec {} ping -c 1 -W {} {}", ns(pick(nns_)), wait, dst));
    }

    void show(int what) {
        // The model is IPv4 only: addresses are listed with -4 (the kernel adds IPv6 link-local ones).
        static const char* kinds[] = {"route", "route show table local", "-br link", "-4 -br addr", "neigh", "-4 addr"};
        int n = pick(nns_);
        // Any namespace is asked for its local table, also one whose table was never
        // made ("Error: ipv4: FIB table does not exist.", modelled). The draw that once
        // picked a namespace with lo up stays, so every seed keeps the stream it had.
        if (what == 1 && !lo_up_.empty()) (void)pick(int(lo_up_.size()));
        if (what == 6) line(fmt::format("ip netns exec {} route -n", ns(n)));
        else ip(n, kinds[what]);
    }

    const End* random_end() {
        const auto& k = links_[size_t(pick(int(links_.size())))];
        return chance(50) ? &k.a : &k.b;
    }

    void mutate() {
        const int r = pick(100);
        if (r < 22) {
            const End* e = random_end();
            ip(e->ns, fmt::format("link set {} {}", e->dev, chance(65) ? "down" : "up"));
        } else if (r < 30) {
            ip(pick(nns_), fmt::format("link set lo {}", chance(50) ? "down" : "up"));
        } else if (r < 45 && !routes_.empty()) {  // route change / replace to another device or gateway
            const RouteLine rl = routes_[size_t(pick(int(routes_.size())))];
            ip(rl.ns, fmt::format("route {} {} {}", chance(60) ? "change" : "replace", rl.dst, route_target(rl.ns)));
        } else if (r < 55 && !routes_.empty()) {
            const RouteLine rl = routes_[size_t(pick(int(routes_.size())))];
            ip(rl.ns, "route del " + rl.dst);
        } else if (r < 65) {
            add_route(pick(nns_), "add");
        } else if (r < 72) {
            const End* e = random_end();
            if (!e->addr.empty())
                for (const auto& k : links_)
                    if (&k.a == e || &k.b == e) ip(e->ns, fmt::format("addr del {}/{} dev {}", e->addr, k.len, e->dev));
        } else if (r < 84) {
            const int n = pick(nns_);
            sysctl(n, fmt::format("net.ipv4.ip_forward={}", pick(2)));
        } else if (r < 92) {
            const End* e = random_end();
            sysctl(e->ns, fmt::format("net.ipv4.conf.{}.rp_filter={}", e->dev, pick(3)));
        } else if (r < 97) {
            const End* e = random_end();
            sysctl(e->ns, fmt::format("net.ipv4.conf.{}.arp_ignore={}", e->dev, pick(3)));
        } else {  // reaches the devices whose own knob was never written
            const int n = pick(nns_);
            const char* knob = chance(50) ? "rp_filter" : "arp_ignore";  // one draw per statement: a seed is
            sysctl(n, fmt::format("net.ipv4.conf.default.{}={}", knob, pick(3)));  // one case with any compiler
        }
    }

    void step() {
        const int r = pick(100);
        if (r < 40) mutate();
        else if (r < 75) ping();
        else show(r < 82 ? 0 : r < 85 ? 1 : r < 89 ? 2 : r < 92 ? 3 : r < 97 ? 4 : r < 99 ? 5 : 6);
    }

    struct Bridge {
        int ns = 0;
        std::string name;
        std::vector<const End*> ports;  // enslaved now
        std::vector<const End*> offered;  // ends of its namespace once enslaved to it
    };

    // The bridge section: its own stream, so what came before is the same with or without it.
    void bridge_section() {
        rng_.seed(seed_ * 0x9e3779b97f4a7c15ULL + 0xb71d6e);
        if (!chance(45)) return;
        line("# bridges");
        const int count = chance(20) ? 2 : 1;
        std::vector<const End*> taken;
        for (int b = 0; b < count; ++b) {
            Bridge br;
            br.ns = pick(nns_);
            br.name = fmt::format("br{}", b);
            ip(br.ns, fmt::format("link add {} type bridge", br.name));
            int host = 10;
            for (const End* e : ends_in(br.ns)) {
                // Never a port whose peer is another bridge's port: a bridge coming up
                // sends IGMP reports for 224.0.0.106 (all snoopers, joined by
                // br_multicast_open), retransmitted at random within a second, and a
                // bridge on the far end learns its MAC from them; not modelled.
                const bool joins_bridges = std::find(taken.begin(), taken.end(), &peer_of(e)) != taken.end();
                if (std::find(taken.begin(), taken.end(), e) != taken.end() || !chance(75) || joins_bridges) continue;
                taken.push_back(e);
                ip(br.ns, fmt::format("link set {} master {}", e->dev, br.name));
                br.ports.push_back(e);
                br.offered.push_back(e);
                if (!e->addr.empty() && chance(50))  // else the address stays on the port
                    for (const auto& k : links_)
                        if (&k.a == e || &k.b == e) ip(e->ns, fmt::format("addr del {}/{} dev {}", e->addr, k.len, e->dev));
                if (chance(60)) ip(br.ns, fmt::format("link set {} up", e->dev));
                const End& far = peer_of(e);
                if (chance(85)) {
                    const std::string a = fmt::format("10.{}.0.{}", 50 + b, host++);
                    ip(far.ns, fmt::format("addr add {}/24 dev {}", a, far.dev));
                    bridge_targets_.push_back(a);
                }
                if (chance(60)) ip(far.ns, fmt::format("link set {} up", far.dev));
            }
            if (chance(85)) ip(br.ns, fmt::format("link set {} up", br.name));
            if (chance(70)) {
                const std::string a = fmt::format("10.{}.0.1", 50 + b);
                ip(br.ns, fmt::format("addr add {}/24 dev {}", a, br.name));
                bridge_targets_.push_back(a);
            }
            bridges_.push_back(br);
        }
        bridge_targets_.push_back("10.50.0.99");  // on the bridge's subnet, nobody's
        for (int i = 0; i < opt_.steps; ++i) bridge_step();
        bridge_ping();
        bridge_show(0);
        show(4);
    }

    void bridge_ping() {
        const std::string dst = bridge_targets_[size_t(pick(int(bridge_targets_.size())))];
        line(fmt::format("ip netns exec {} ping -c 1 -W {} {}", ns(pick(nns_)), opt_.ping_wait, dst));
    }

    // 0: bridge fdb show, 1: ip -br link, 2: ip -4 -br addr -- in a bridge's namespace.
    void bridge_show(int what) {
        const Bridge& br = bridges_[size_t(pick(int(bridges_.size())))];
        if (what == 0) {
            line(chance(50) ? fmt::format("bridge -n {} fdb show", ns(br.ns))
                            : fmt::format("bridge -n {} fdb show br {}", ns(br.ns), br.name));
        } else {
            ip(br.ns, what == 1 ? "-br link" : "-4 -br addr");
        }
    }

    void bridge_step() {
        Bridge& br = bridges_[size_t(pick(int(bridges_.size())))];
        const int r = pick(100);
        if (r < 14 && !br.offered.empty()) {  // release a port, or enslave it again
            const End* e = br.offered[size_t(pick(int(br.offered.size())))];
            const auto at = std::find(br.ports.begin(), br.ports.end(), e);
            if (at != br.ports.end()) {
                ip(br.ns, fmt::format("link set {} nomaster", e->dev));
                br.ports.erase(at);
            } else {
                ip(br.ns, fmt::format("link set {} master {}", e->dev, br.name));
                br.ports.push_back(e);
            }
        } else if (r < 22) {
            ip(br.ns, fmt::format("link set {} {}", br.name, chance(60) ? "down" : "up"));
        } else if (r < 34 && !br.offered.empty()) {  // a port or its peer down or up
            const End* e = br.offered[size_t(pick(int(br.offered.size())))];
            const End* d = chance(50) ? e : &peer_of(e);
            ip(d->ns, fmt::format("link set {} {}", d->dev, chance(50) ? "down" : "up"));
        } else if (r < 60) {
            bridge_ping();
        } else if (r < 72) {
            bridge_show(0);
        } else if (r < 82) {
            bridge_show(1);
        } else if (r < 88) {
            bridge_show(2);
        } else if (r < 94) {
            show(4);
        } else {
            show(0);
        }
    }

    std::mt19937_64 rng_;
    CaseOptions opt_;
    uint64_t seed_ = 0;
    std::vector<Bridge> bridges_;
    std::vector<std::string> bridge_targets_;
    bool slow_ = false;
    std::string out_;
    int nns_ = 0;
    std::vector<VethLink> links_;
    int tap_ns_ = -1;
    std::string tap_addr_;
    std::vector<std::string> extra_addrs_;
    std::vector<RouteLine> routes_;
    std::vector<int> lo_up_;
};

}  // namespace

std::string generate_case(uint64_t seed, const CaseOptions& opt) { return Generator(seed, opt).run(); }

}  // namespace vethlab::analysis
