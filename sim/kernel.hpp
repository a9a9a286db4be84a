#pragma once
// The kernel twin's data plane: devices and carrier, neighbour (ARP) resolution, IPv4
// input/forward/output and ICMP, over the configuration in a NetState, in virtual time.
// Each namespace is a kernel of its own; frames cross veth pairs between them.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/netstate.hpp"
#include "sim/event_queue.hpp"
#include "sim/flat_table.hpp"
#include "sim/neighbor.hpp"
#include "sim/packet.hpp"

namespace vethlab::sim {

inline constexpr Time kHopDelay = 10 * kMicrosecond;  // one frame across a veth pair
inline constexpr Time kLoopDelay = 5 * kMicrosecond;  // one packet through lo
inline constexpr Time kJiffy = 4 * kMillisecond;       // CONFIG_HZ=250 (Debian): the rate limits' clock
inline constexpr Time kFdbAgeing = 300 * kSecond;     // a bridge's ageing_time (BR_DEFAULT_AGEING_TIME)

// Where a locally sent packet goes (ip_route_output).
struct OutputRoute {
    bool local = false;  // to an address of this namespace: through lo
    int oif = 0;
    Ipv4 nexthop;
    Ipv4 src;
    const Route* route = nullptr;  // none when bound to a device without a route
};

class Kernel {
public:
    explicit Kernel(const NetState& state) : st_(state) {}

    EventQueue& queue() { return q_; }
    Time now() const { return q_.now(); }
    // Must be called after every change to the NetState: refreshes what the data path
    // caches (namespaces, device sysctls) and drops neighbour entries of devices that
    // went away, went down or lost carrier (neigh_ifdown / neigh_carrier_down).
    void after_config_change();
    // arp_ifdown, as fib_disable_ip calls it when a device's last IPv4 address is deleted:
    // every neighbour entry of the device goes.
    void neigh_flush_dev(const std::string& ns, int ifindex);

    // The id the calls below take instead of a name, -1 when there is no such namespace:
    // a caller with many packets for one namespace looks its name up once (a million
    // probes of `reach` did four lookups each).
    int ns_id(const std::string& ns);

    // ip_route_connect: the route, or the errno text connect() would fail with.
    Result<OutputRoute> route_output(const std::string& ns, Ipv4 dst, int bound_oif = 0);
    Result<OutputRoute> route_output(int ns, Ipv4 dst, int bound_oif = 0);
    // Whether a route's gateway is used at all (rt_uses_gateway).
    bool uses_gateway(const std::string& ns, const Route& r) const;
    // Sends an ICMP packet from a socket in ns along the route (ip_local_out).
    void send(const std::string& ns, Ipv4Packet pkt, const OutputRoute& route);
    void send(int ns, Ipv4Packet pkt, const OutputRoute& route);
    // ICMP echo replies and errors about our echoes with this id reach this socket.
    void bind_icmp(const std::string& ns, uint16_t id, std::function<void(const Ipv4Packet&)> deliver);
    void bind_icmp(int ns, uint16_t id, std::function<void(const Ipv4Packet&)> deliver);
    void unbind_icmp(const std::string& ns, uint16_t id);
    void unbind_icmp(int ns, uint16_t id);

    std::vector<NeighborEntry> neighbours(const std::string& ns);  // not const: reads the device caches
    // A bridge's learned forwarding entries younger than the ageing time, newest first
    // (the kernel's fdb_list): (MAC, port ifindex).
    std::vector<std::pair<Mac, int>> fdb_learned(const std::string& ns, int bridge) const;
    // Decisions along the way ("ns0: ARP for 10.0.0.2 on tap0 failed ..."), when set.
    void set_trace(std::function<void(const std::string&)> trace) { trace_ = std::move(trace); }

private:
    // 56 bytes: with its key, one cache line of a FlatTable.
    struct Neighbour {
        Time timer_at = -1;  // when the current timer fires; -1: none armed
        Time fired_at = -1;  // when a timer last fired
        Time confirmed = 0;  // last proof of reachability (an ARP reply to us)
        Time used = 0;       // last packet sent through it while not REACHABLE
        uint64_t timer = 0;  // generation: a timer fires only if still current
        int32_t probes = 0;
        uint32_t queue = 0;  // packets waiting for resolution: 1 + index into Kernel::queues_; 0: none
        Mac mac;
        NudState state = NudState::incomplete;
    };
    static_assert(sizeof(Neighbour) == 56);
    // The sysctls the data path reads, per device: max(all, dev) where the kernel does.
    struct DevConf {
        int rp_filter = 0, accept_local = 0, arp_ignore = 0, arp_announce = 0, forwarding = 0;
        int ignore_linkdown = 0, mcast_solicit = 3, ucast_solicit = 3;
        int send_redirects = 1;  // IN_DEV_TX_REDIRECTS: all or dev
        int rx_redirects = 1;    // IN_DEV_RX_REDIRECTS: forwarding ? all and dev : all or dev
        Time retrans = kSecond;
        // The kernel draws reachable_time at random in [base/2, 3*base/2); the twin takes base.
        Time reachable = 30 * kSecond;
        Time delay_probe = 5 * kSecond;
    };
    // 16 bytes a device (a million in the n = 1000 mesh): a device that sets none of its
    // own sysctls shares its namespace's values (Runtime::plain), the rest are in own_conf.
    struct DevCache {
        enum : uint8_t { unknown, plain, own } conf = unknown;
        bool has_peer = false;
        uint32_t own_conf = 0;            // index into Runtime::own_conf
        std::pair<int, int> peer{-1, 0};  // veth: (namespace id, ifindex) of the other end
    };
    // A bridge (kernel_bridge.cpp): its forwarding database, and what a flood needs to know
    // about the ports, rebuilt after each configuration change.
    struct FdbEntry {
        int port = 0;      // ifindex of the port the MAC was learned on
        Time updated = 0;  // last seen as a source there; gone kFdbAgeing later
        uint64_t seq = 0;  // when it was created: a move to another port keeps it
    };
    struct BridgePorts {
        bool built = false;
        std::vector<int> forwarding;                  // ports in forwarding state (up, carrier)
        std::unordered_map<uint64_t, int> local;      // MACs of the bridge (0) and its ports: local entries
        // A flood need not reach a far end that only drops the frame: an ARP request goes to
        // the leaf ports whose far namespace holds the target address, an unknown unicast
        // frame to the leaf ports whose far end has the MAC, and both to every transit port.
        std::unordered_map<uint32_t, std::vector<int>> by_address;
        std::unordered_map<uint64_t, std::vector<int>> by_mac;
        std::vector<int> transit;  // far end is itself a bridge port: it may forward
    };
    struct Bridge {
        std::unordered_map<uint64_t, FdbEntry> fdb;  // by MAC
        uint64_t next_seq = 0;
        BridgePorts ports;
    };
    struct Peer {
        Time tokens = 0;
        Time last = 0;
        int n_redirects = 0;
    };
    static uint64_t mac_key(const Mac& m) {
        uint64_t k = 0;
        for (uint8_t b : m.bytes()) k = k << 8 | b;
        return k;
    }
    // What a configuration change is compared with, per device: a vector, not two hash
    // maps -- every namespace the data path meets takes one, a million devices at n = 1000.
    struct DevSnapshot {
        int ifindex = 0;
        bool up = false;
        bool carrier = false;
        Mac mac;
    };
    static const DevSnapshot* find_dev(const std::vector<DevSnapshot>& devs, int ifindex);
    static constexpr int kDenseIfindex = 1 << 16;
    // A namespace as the data path sees it: interned to a small id, so events and
    // tables carry an int, not a name.
    // What each packet reads comes first (ns, neigh, dev, plain): a million probes meet
    // their namespaces cold, and each further cache line is a further miss.
    struct Runtime {
        const Namespace* ns = nullptr;  // refreshed on every configuration change
        bool echo_ignore_all = false;   // net.ipv4.icmp_echo_ignore_all, refreshed with ns
        FlatTable<Neighbour> neigh;  // key: ifindex << 32 | ip
        // Per device, filled on first use: by ifindex below kDenseIfindex, else by map.
        std::vector<DevCache> dev;
        std::optional<DevConf> plain;  // the values of a device that sets none of its own
        std::string name;
        // Each device's (admin up, carrier) and MAC at the last configuration change: a flush
        // follows going down or losing carrier (neigh_ifdown / neigh_carrier_down), and a
        // change of MAC (NETDEV_CHANGEADDR, also a bridge's taking its smallest port's MAC:
        // neigh_changeaddr). By ifindex, ascending.
        std::vector<DevSnapshot> devs;
        std::unordered_map<int, DevCache> sparse_dev;
        std::deque<DevConf> own_conf;  // of the devices that set some (a deque: references stay valid)
        std::unordered_map<uint16_t, std::function<void(const Ipv4Packet&)>> icmp_sockets;  // by echo id
        // inet_peer per remote address: the ICMP token bucket (rate_tokens, rate_last) and
        // the redirect counter, which shares rate_last with it.
        std::unordered_map<uint32_t, Peer> icmp_peers;
        std::unordered_map<int, Bridge> bridges;  // by the bridge's ifindex
    };
    static uint64_t neigh_key(int ifindex, Ipv4 ip) { return uint64_t(uint32_t(ifindex)) << 32 | ip.value(); }

    int id_of(const std::string& ns);  // interns
    void refresh(Runtime& r);          // ns and what is cached from its sysctls
    // Each device's state now, for Runtime::devs.
    std::vector<DevSnapshot> snapshot(const Namespace* n) const;
    Runtime& rt(int id) { return rt_[size_t(id)]; }
    const Namespace* nsp(int id) const { return rt_[size_t(id)].ns; }
    const DevConf& conf(int id, const Link& dev);
    DevCache& dev_cache(int id, int ifindex);
    DevConf compute_conf(int id, const Link* dev);  // dev null: one with no values of its own

    // Devices
    void xmit(int ns, int ifindex, Frame frame);
    void rx(int ns, int ifindex, const Frame& frame);
    void prefetch_rx(int ns, int ifindex, const Frame& frame) const;  // a hint, see kernel_neigh.cpp
    // Bridges
    void br_handle_frame(int ns, const Link& port, const Frame& frame);
    void br_dev_xmit(int ns, const Link& bridge, const Frame& frame);
    void br_forward(int ns, const Link& bridge, int ingress, const Frame& frame);
    void br_flood(int ns, int bridge, int ingress, const Frame& frame);
    BridgePorts& br_ports(int ns, const Link& bridge);
    void br_after_config_change(Runtime& r);
    // Neighbours and ARP
    void neigh_output(int ns, int ifindex, Ipv4 nexthop, Ipv4Packet pkt);
    void neigh_timer(int ns, uint64_t key, uint64_t generation);
    void neigh_arm(int ns, uint64_t key, Neighbour& e, Time when);
    void neigh_probe(int ns, uint64_t key, Neighbour& e, const Link& dev);
    Neighbour& neigh_entry(int ns, uint64_t key, const Link& dev);
    // An entry's arp_queue: the packets it holds while it resolves.
    std::vector<Ipv4Packet>& neigh_queue(Neighbour& e);
    const Ipv4Packet* neigh_queue_last(const Neighbour& e) const {  // null when nothing waits
        return e.queue == 0 || queues_[e.queue - 1].empty() ? nullptr : &queues_[e.queue - 1].back();
    }
    std::vector<Ipv4Packet> neigh_take_queue(Neighbour& e);  // empties and releases it
    void neigh_release_queue(Neighbour& e);                 // drops its packets
    void arp_solicit(int ns, const Link& dev, Ipv4 target, const Ipv4Packet* trigger, Mac to = kBroadcastMac);
    void arp_rcv(int ns, const Link& dev, const Arp& arp);
    void neigh_update(int ns, int ifindex, Ipv4 ip, Mac mac, NudState state);
    // IPv4 and ICMP
    // l2_broadcast: the frame went to ff:ff:ff:ff:ff:ff (pkt_type PACKET_BROADCAST).
    void ip_rcv(int ns, const Link& dev, Ipv4Packet pkt, bool l2_broadcast = false);
    void ip_forward(int ns, const Link& in, Ipv4Packet pkt, const Route& r, bool redirect = false);
    void ip_rt_send_redirect(int ns, const Ipv4Packet& pkt, Ipv4 gateway);
    void icmp_redirect(int ns, const Ipv4Packet& pkt);
    void neigh_event_send(int ns, int ifindex, Ipv4 ip);
    void local_deliver(int ns, const Ipv4Packet& pkt);
    void loopback(int ns, Ipv4Packet pkt);
    void icmp_send(int ns, const Ipv4Packet& about, IcmpType type, uint8_t code, Ipv4 gateway = Ipv4());
    bool icmp_rate_allows(int ns, Ipv4 dst, IcmpType type);
    bool ip_error_allows(int ns, Ipv4 src);
    bool peer_take(int ns, Ipv4 peer, Time cost, Time burst);
    // Routing helpers
    bool validate_source(int ns, const Link& dev, Ipv4 src);
    int validate_source_full(int ns, const Link& dev, Ipv4 src);
    Ipv4 select_source(const Namespace& n, const Link& dev, Ipv4 dst, RouteScope scope) const;
    const Route* fib_lookup(int ns, Ipv4 dst, int oif = 0);
    // The next hop a route sends dst to: its gateway, unless there is none or the gateway
    // is an address of this namespace (see kernel_route.cpp).
    Ipv4 nexthop_of(const Namespace& n, const Route& r, Ipv4 dst) const;

    // The line is made only when someone listens (--explain): a million probes would
    // otherwise format a few million lines nobody reads.
    template <class MakeLine>
    void trace(MakeLine&& make) const {
        if (trace_) trace_(make());
    }
    const std::string& name(int ns) const { return rt_[size_t(ns)].name; }

    const NetState& st_;
    EventQueue q_;
    std::vector<Runtime> rt_;
    std::unordered_map<std::string, int> ids_;
    std::function<void(const std::string&)> trace_;
    uint64_t timer_generation_ = 0;
    // The arp_queues of the entries that have one, kept out of the entries (a million
    // entries, few of them resolving at once); released ones are reused with their capacity.
    std::vector<std::vector<Ipv4Packet>> queues_;
    std::vector<uint32_t> free_queues_;
};

}  // namespace vethlab::sim
