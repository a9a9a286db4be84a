#pragma once
// The configuration plane of a set of network namespaces, changed by edits with the
// kernel's rules: devices and carrier, addresses and the routes the kernel derives
// from them, the local and main tables with add/change/replace/append/del, sysctls.
// A refused edit leaves the state unchanged and returns the error as `ip` prints it.
// (The data plane -- ARP, ICMP, forwarding in virtual time -- lives in sim/.)
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/edit.hpp"
#include "model/route_table.hpp"
#include "model/tag_table.hpp"

namespace vethlab {

struct Address {
    IfAddr addr;
    RouteScope scope = RouteScope::universe;  // host for 127/8, as iproute2 picks
    bool secondary = false;                   // a second address in a subnet already on the device
    Ipv4 broadcast;                           // IFA_BROADCAST; 0.0.0.0 when none was given
    bool operator==(const Address&) const = default;
};

struct Link {
    int ifindex = 0;
    std::string name;
    LinkKind kind = LinkKind::veth;
    bool admin_up = false;
    bool qdisc_attached = false;  // opened since created or moved: the root qdisc stays after down
    uint32_t mtu = 1500;
    Mac mac;
    std::string peer_ns;   // veth: namespace of the other end
    int peer_ifindex = 0;  // veth: ifindex of the other end there
    int master = 0;        // a bridge port: the bridge's ifindex (same namespace); 0 when none
    bool mtu_set = false;  // bridge: MTU set by `ip link set` (BROPT_MTU_SET_BY_USER), else min of the ports
    bool mac_set = false;   // bridge: MAC given by hand (NET_ADDR_SET), else the smallest port's
    bool had_port = false;  // bridge: a port was ever enslaved; until then it has carrier when up
    // The conf knobs written on this device (the kernel's cnf.state bits, one per knob of
    // netstate_sysctl.cpp), all of them once an address was added: those no longer follow
    // writes to conf.default.
    uint16_t conf_written = 0;
    std::vector<Address> addrs;               // in the kernel's list order
    std::map<std::string, std::string> conf;  // per-device net.ipv4.conf.IF.* (key: "rp_filter")

    const Address* primary_for(Ipv4 a) const;  // the primary address whose subnet holds a
    bool operator==(const Link&) const = default;
};

inline constexpr uint16_t kAllConfWritten = 0xffff;

struct Namespace {
    std::string name;
    std::vector<Link> links;  // ascending ifindex
    // fib_tables' main (1) and local (2), asked for each new neighbour entry and after
    // each edit: a bit beside the links, not a walk of a tree in a namespace not visited
    // for a while (the members a packet reads come first: links, this, routes).
    uint8_t main_local_tables = 0;
    RouteTable routes;        // every table, insertion order; printed in the kernel's order (sorted_routes)
    std::map<std::string, std::string> sysctls;  // "net.ipv4.ip_forward" -> "1", only keys ever set
    int next_ifindex = 1;
    // The FIB tables that exist: a namespace starts with none; fib_new_table makes one when
    // a route goes into it (an address's local route, `ip route add`, even one refused by
    // the nexthop checks) and it stays until the namespace goes. The local table brings
    // main with it (they share a trie). Not part of the configuration (operator==).
    std::set<uint32_t> fib_tables;
    bool has_table(uint32_t id) const {
        if (id == kTableMain) return main_local_tables & 1;
        if (id == kTableLocal) return main_local_tables & 2;
        return fib_tables.count(id) != 0;
    }

    Link* link(std::string_view name);
    const Link* link(std::string_view name) const;
    Link* link(int ifindex);
    const Link* link(int ifindex) const;
    std::string ifname(int ifindex) const;  // "" if none
    bool has_local_address(Ipv4 a) const;   // any address of any device
    // A hint: what has_local_address(a) and a lookup of a in the local table read, read soon.
    void prefetch_local(Ipv4 a) const;
    std::vector<const Link*> ports(const Link& bridge) const;  // its ports, by ifindex
    std::vector<const Route*> sorted_routes(uint32_t table) const;  // trie order

    // The configuration: name, links, routes in order, sysctls, next ifindex (not the indexes).
    bool operator==(const Namespace& o) const;

private:
    friend class NetState;

    // Every change to `links` (and to the addresses on them) goes through these, which
    // keep the indexes below in step.
    Link& add_link(Link link);            // at its ifindex; the name must be free
    Link take_link(int ifindex);          // out of the namespace
    void rename_link(Link& link, std::string new_name);
    void address_added(Ipv4 local);
    void address_removed(Ipv4 local);

    static uint32_t name_tag(std::string_view name);
    TagTable ifindex_by_name_;  // hash of the name -> ifindex
    TagTable local_addresses_;  // address -> how many device addresses (Link::addrs) have it
};

// Compiled sysctl defaults of a new namespace (KERNEL-NOTES): what `sysctl_value` answers
// for a key never set.
std::optional<std::string> default_sysctl(std::string_view key);
// Every sysctl key the model knows, in the order that sets them without surprises:
// net.ipv4.*, conf.all, conf.default, then per device (conf and neigh).
std::vector<std::string> known_sysctl_keys(const std::vector<std::string>& devices);
// Whether the device holds `knob` (a net.ipv4.conf one, e.g. "rp_filter") of its own:
// written on it, or one of the knobs that never follow conf.default once it exists.
// Otherwise the device has the namespace's conf.default value, and follows its writes.
bool conf_own(const Link& l, std::string_view knob);

class NetState {
public:
    NetState();  // the initial namespace ("") with lo up, as on a host
    NetState(const NetState& o);
    NetState& operator=(const NetState& o);
    NetState(NetState&&) noexcept = default;
    NetState& operator=(NetState&&) noexcept = default;

    // Apply one edit. nullopt: accepted. Otherwise the text `ip` (or sysctl) prints,
    // e.g. "RTNETLINK answers: File exists"; the state is unchanged.
    std::optional<std::string> apply(const EditOp& op);

    const std::map<std::string, Namespace>& namespaces() const { return ns_; }
    const Namespace* ns(std::string_view name) const;

    // veth: both ends admin up; tap without reader: never; lo and dummy: admin up;
    // bridge: admin up and, once it ever had a port, one of its ports up with carrier.
    bool carrier(const Namespace& ns, const Link& link) const;
    std::string sysctl_value(const Namespace& ns, std::string_view key) const;
    // The peer end of a veth, if any.
    std::optional<std::pair<const Namespace*, const Link*>> peer(const Namespace& ns, const Link& link) const;

    // The kernel's fib lookup restricted to routes of scope >= min_scope (and to oif if
    // non-zero), local table first, then main; link state ignored.
    const Route* lookup(const Namespace& ns, Ipv4 dst, RouteScope min_scope = RouteScope::universe,
                        int oif = 0) const;

    bool operator==(const NetState& o) const;  // the namespaces and the MAC counter

private:
    std::optional<std::string> apply_op(const NetnsAdd& e);
    std::optional<std::string> apply_op(const NetnsDel& e);
    std::optional<std::string> apply_op(const LinkAdd& e);
    std::optional<std::string> apply_op(const LinkDel& e);
    std::optional<std::string> apply_op(const LinkSet& e);
    std::optional<std::string> apply_op(const AddrAdd& e);
    std::optional<std::string> apply_op(const AddrDel& e);
    std::optional<std::string> apply_op(const RouteEdit& e);
    static void note_table(Namespace& n, uint32_t table);
    static void note_tables(Namespace& n);
    std::optional<std::string> apply_op(const SysctlSet& e);
    std::optional<std::string> apply_op(const Ping& e);
    std::optional<std::string> apply_op(const Show& e);
    std::optional<std::string> apply_op(const Sleep& e);

    Namespace* find_ns(std::string_view name);
    std::optional<std::string> need_ns(std::string_view name) const;  // the ip error if missing
    void link_went_up(Namespace& ns, Link& link);
    void link_went_down(Namespace& ns, Link& link);
    void remove_link(Namespace& ns, int ifindex);  // unregister: routes, addresses, peer
    void add_connected_routes(Namespace& ns, const Link& link, const Address& a);
    void remove_addr(Namespace& ns, Link& link, size_t index);
    void drop_secondaries(Namespace& ns, Link& link, const Address& gone);
    Link& insert_link(Namespace& ns, Link link);  // picks ifindex (keeps it when free)
    Link& move_link(Namespace& from, int ifindex, Namespace& to, const std::string& new_name);
    std::optional<std::string> set_master(Namespace& ns, Link& link, int master);  // 0: nomaster
    void release_port(Namespace& ns, Link& port);
    void bridge_mtu_adjust(Namespace& ns, int bridge);  // br_mtu_auto_adjust

    void index_ns(Namespace& n);
    void unindex_ns(const Namespace& n);
    void reindex_ns();  // after a copy: the slots must point into our own ns_

    std::map<std::string, Namespace> ns_;
    uint64_t mac_counter_ = 0;
    // Namespaces by name in one probe (std::map compares names all the way down):
    // a hash of the name -> a slot -> the namespace's node in ns_, which never moves.
    TagTable ns_by_name_;
    std::vector<Namespace*> ns_slots_;  // null: free
    std::vector<uint32_t> free_ns_slots_;
};

}  // namespace vethlab
