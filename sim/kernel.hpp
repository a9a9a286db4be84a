#pragma once
// The kernel twin's data plane: devices and carrier, neighbour (ARP) resolution, IPv4
// input/forward/output and ICMP, over the configuration in a NetState, in virtual time.
// Each namespace is a kernel of its own; frames cross veth pairs between them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/netstate.hpp"
#include "sim/event_queue.hpp"
#include "sim/neighbor.hpp"
#include "sim/packet.hpp"

namespace vethlab::sim {

inline constexpr Time kHopDelay = 10 * kMicrosecond;  // one frame across a veth pair
inline constexpr Time kLoopDelay = 5 * kMicrosecond;  // one packet through lo

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
    // Called after every configuration edit: drops neighbour entries of devices that
    // went away, went down, lost carrier or changed MAC (neigh_ifdown/neigh_carrier_down).
    void after_config_change();

    // ip_route_connect: the route, or the errno text connect() would fail with.
    Result<OutputRoute> route_output(const std::string& ns, Ipv4 dst, int bound_oif = 0) const;
    // Sends an ICMP packet from a socket in ns along the route (ip_local_out).
    void send(const std::string& ns, Ipv4Packet pkt, const OutputRoute& route);
    // ICMP echo replies and errors about our echoes with this id reach this socket.
    void bind_icmp(const std::string& ns, uint16_t id, std::function<void(const Ipv4Packet&)> deliver);
    void unbind_icmp(const std::string& ns, uint16_t id);

    std::vector<NeighborEntry> neighbours(const std::string& ns) const;
    // Decisions along the way ("ns0: ARP for 10.0.0.2 on tap0 failed ..."), when set.
    void set_trace(std::function<void(const std::string&)> trace) { trace_ = std::move(trace); }

private:
    struct Neighbour {
        NudState state = NudState::incomplete;
        Mac mac;
        int probes = 0;
        uint64_t timer = 0;  // generation: a timer fires only if still current
        std::vector<Ipv4Packet> queue;
    };
    struct Runtime {
        std::unordered_map<uint64_t, Neighbour> neigh;  // key: ifindex << 32 | ip
        std::map<uint16_t, std::function<void(const Ipv4Packet&)>> icmp_sockets;
    };
    static uint64_t neigh_key(int ifindex, Ipv4 ip) { return uint64_t(uint32_t(ifindex)) << 32 | ip.value(); }

    // Devices
    void xmit(const std::string& ns, int ifindex, Frame frame);
    void rx(const std::string& ns, int ifindex, const Frame& frame);
    // Neighbours and ARP
    void neigh_output(const std::string& ns, int ifindex, Ipv4 nexthop, Ipv4Packet pkt);
    void neigh_timer(const std::string& ns, uint64_t key, uint64_t generation);
    void arp_solicit(const std::string& ns, int ifindex, Ipv4 target, const Neighbour& n, const Ipv4Packet* trigger);
    void arp_rcv(const std::string& ns, const Link& dev, const Arp& arp);
    void neigh_update(const std::string& ns, int ifindex, Ipv4 ip, Mac mac, NudState state);
    // IPv4 and ICMP
    void ip_rcv(const std::string& ns, const Link& dev, Ipv4Packet pkt);
    void ip_forward(const std::string& ns, const Link& in, Ipv4Packet pkt, const Route& r);
    void local_deliver(const std::string& ns, const Ipv4Packet& pkt);
    void loopback(const std::string& ns, Ipv4Packet pkt);
    void icmp_send(const std::string& ns, const Ipv4Packet& about, IcmpType type, uint8_t code);
    // Routing helpers
    bool validate_source(const Namespace& n, const Link& dev, Ipv4 src) const;
    Ipv4 select_source(const Namespace& n, const Link& dev, Ipv4 dst, RouteScope scope) const;
    bool forwarding(const Namespace& n, const Link& dev) const;
    int conf_int(const Namespace& n, const Link& dev, std::string_view knob) const;  // max(all, dev)
    const Route* fib_lookup(const Namespace& n, Ipv4 dst, int oif = 0) const;

    void trace(const std::string& line) const {
        if (trace_) trace_(line);
    }

    const NetState& st_;
    EventQueue q_;
    std::map<std::string, Runtime> rt_;
    std::function<void(const std::string&)> trace_;
    uint64_t timer_generation_ = 0;
};

}  // namespace vethlab::sim
