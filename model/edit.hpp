#pragma once
// A topology is an ordered list of edits: operations on kernel state (what `ip` and
// `sysctl` do) and observations (ping, route -n, ip route, ...). Every edit remembers
// where it was written so errors point at the line and column.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/ipv4.hpp"
#include "model/mac.hpp"
#include "model/route.hpp"

namespace vethlab {

enum class LinkKind : uint8_t { loopback, veth, tap, dummy, bridge };
std::string_view to_string(LinkKind k);

// `ns` in every edit is the namespace the command runs in ("" = the initial one).

struct NetnsAdd {
    std::string name;
    bool operator==(const NetnsAdd&) const = default;
};
struct NetnsDel {
    std::string name;
    bool operator==(const NetnsDel&) const = default;
};

// ip link add NAME [netns NS] [mtu M] [address MAC] type veth|dummy|bridge [peer name P [netns PNS] ...]
// ip tuntap add dev NAME mode tap
struct LinkAdd {
    std::string ns;
    std::string name;
    LinkKind kind = LinkKind::veth;
    std::optional<std::string> netns;  // where NAME is created (default: ns)
    std::optional<uint32_t> mtu;
    std::optional<Mac> mac;
    std::optional<bool> up;            // `ip link add ... up`
    // veth only: the peer end.
    std::string peer;
    std::optional<std::string> peer_netns;  // default: ns (the caller's namespace)
    std::optional<uint32_t> peer_mtu;
    std::optional<Mac> peer_mac;
    bool operator==(const LinkAdd&) const = default;
};

struct LinkDel {
    std::string ns;
    std::string name;
    bool operator==(const LinkDel&) const = default;
};

// ip link set [dev] NAME [netns NS] [name NEW] [address MAC] [mtu M] [up|down] [master BR|nomaster]
// Applied in the kernel's order (do_setlink): netns, name, address, mtu, up/down, master.
struct LinkSet {
    std::string ns;
    std::string name;
    std::optional<std::string> netns;
    std::optional<std::string> new_name;
    std::optional<Mac> mac;
    std::optional<uint32_t> mtu;
    std::optional<bool> up;
    std::optional<std::string> master;  // `master BR`; "" is `nomaster`
    bool operator==(const LinkSet&) const = default;
};

struct AddrAdd {
    std::string ns;
    std::string dev;
    IfAddr addr;
    std::optional<Ipv4> broadcast;  // `brd X`, or what iproute2 makes of `brd +` / `brd -`
    bool operator==(const AddrAdd&) const = default;
};
struct AddrDel {
    std::string ns;
    std::string dev;
    IfAddr addr;
    bool operator==(const AddrDel&) const = default;
};

struct RouteEdit {
    std::string ns;
    RouteOp op = RouteOp::add;
    RouteSpec route;
    bool operator==(const RouteEdit&) const = default;
};

// sysctl -w net.ipv4.ip_forward=1 (key normalised to dots)
struct SysctlSet {
    std::string ns;
    std::string key;
    std::string value;
    bool operator==(const SysctlSet&) const = default;
};

// Observations -------------------------------------------------------------------

// Without -c or -w, ping runs until interrupted; the simulator stops it after this many
// probes, as a user pressing ^C would.
inline constexpr int kPingDefaultCount = 4;
inline constexpr double kPingLingerSeconds = 10.0;  // iputils MAXWAIT, when -W is not given
// What one command may ask of the simulator, so that any script replays in bounded time
// and memory: the parser refuses more, with the reason (docs/reliability.md).
inline constexpr int kPingMaxProbes = 100000;
inline constexpr double kMaxCommandSeconds = 86400;  // a day of virtual time: sleep, ping

// iputils ping: -c count, -i interval, -W timeout, -w deadline, -I interface, -t ttl, -q.
struct Ping {
    std::string ns;
    Ipv4 dst;
    std::optional<int> count;  // none: runs until interrupted
    double interval = 1.0;
    std::optional<double> timeout;
    std::optional<double> deadline;
    std::optional<std::string> iface;
    std::optional<int> ttl;
    bool quiet = false;
    bool operator==(const Ping&) const = default;

    // The probes sent: -c, or one per interval until the deadline (a huge number for a
    // flood, -i 0), or kPingDefaultCount. A double: it may be too large for an int.
    double probes() const;
    // How long it runs in virtual time at most: the last probe plus the wait for its
    // answer (-W), cut at the deadline (-w).
    double max_seconds() const;
};

// sleep N: time passes (neighbour entries age, timers fire) before the next command.
struct Sleep {
    std::string ns;
    double seconds = 0;
    bool operator==(const Sleep&) const = default;
};

enum class ShowWhat : uint8_t { route_n, ip_route, ip_addr, ip_link, ip_neigh, bridge_fdb };
std::string_view to_string(ShowWhat w);

struct Show {
    std::string ns;
    ShowWhat what = ShowWhat::ip_route;
    bool brief = false;                  // ip -br
    std::optional<uint32_t> table;       // ip route show table T
    std::optional<std::string> dev;      // ip addr show dev X / ip link show X / bridge fdb show br X
    bool operator==(const Show&) const = default;
};

using EditOp = std::variant<NetnsAdd, NetnsDel, LinkAdd, LinkDel, LinkSet, AddrAdd, AddrDel, RouteEdit,
                            SysctlSet, Ping, Show, Sleep>;

struct Edit {
    EditOp op;
    SourceLoc loc;     // where the command starts
    std::string text;  // the command as written (one logical line), for messages

    bool is_observation() const {
        return std::holds_alternative<Ping>(op) || std::holds_alternative<Show>(op) || std::holds_alternative<Sleep>(op);
    }
};

// The namespace an edit runs in ("" = initial); for NetnsAdd/Del the initial one.
const std::string& edit_ns(const EditOp& op);

}  // namespace vethlab
