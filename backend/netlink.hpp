#pragma once
// The narrow interface between vethlab and the kernel: every change `up` and `down`
// make goes through one of these calls. LibnlNetlink talks to the real kernel;
// FakeNetlink records the calls for unit tests.
//
// Namespaces are named as they are on the kernel (any lab prefix already applied).
// Each call returns nullopt on success, else the text `ip` (or `ip netns`, `ip tuntap`,
// `sysctl`) prints for the same refusal, e.g. "Error: ipv4: Address already assigned."
// or "RTNETLINK answers: File exists".
#include <cstdint>
#include <optional>
#include <string>

#include "model/edit.hpp"

namespace vethlab::backend {

using Status = std::optional<std::string>;

// How a new link starts: MTU and MAC if given, and whether it is admin up.
struct LinkOpts {
    std::optional<uint32_t> mtu;
    std::optional<Mac> mac;
    bool up = false;
    bool operator==(const LinkOpts&) const = default;
};

struct VethEnd {
    std::string ns;
    std::string name;
    LinkOpts opts;
    bool operator==(const VethEnd&) const = default;
};

// `ip link set`: applied in the kernel's order (do_setlink): netns, name, MAC, MTU, state, master.
struct LinkChange {
    std::optional<std::string> netns;
    std::optional<std::string> new_name;
    std::optional<Mac> mac;
    std::optional<uint32_t> mtu;
    std::optional<bool> up;
    std::optional<std::string> master;  // IFLA_MASTER: a bridge in the same namespace; "" releases
    bool operator==(const LinkChange&) const = default;
};

class Netlink {
public:
    virtual ~Netlink() = default;

    // Namespaces (iproute2-compatible files under /run/netns).
    virtual Status add_netns(const std::string& ns) = 0;
    // Like `ip netns del`: the kernel then removes the namespace's links in the
    // background, and with each veth its peer in another namespace. With settle, its
    // links are deleted first, so those peers are gone when the call returns (a script
    // that goes on using the other namespaces sees what the model sees).
    virtual Status del_netns(const std::string& ns, bool settle = false) = 0;
    virtual bool netns_exists(const std::string& ns) = 0;
    virtual std::optional<uint64_t> netns_id(const std::string& ns) = 0;  // NS_GET_ID, else nsfs inode
    // Whether the host's own namespace has a link of that name (read only).
    virtual bool host_has_link(const std::string& name) = 0;

    // Both ends of a veth pair, each created directly in its namespace, up where asked.
    virtual Status create_veth(const VethEnd& a, const VethEnd& b) = 0;
    virtual Status create_dummy(const std::string& ns, const std::string& name, const LinkOpts& opts) = 0;
    virtual Status create_bridge(const std::string& ns, const std::string& name, const LinkOpts& opts) = 0;
    // A persistent tap with no process attached (`ip tuntap add dev NAME mode tap`).
    virtual Status create_tap(const std::string& ns, const std::string& name, const LinkOpts& opts) = 0;
    virtual Status delete_link(const std::string& ns, const std::string& name) = 0;
    virtual Status set_link(const std::string& ns, const std::string& name, const LinkChange& change) = 0;

    // broadcast: IFA_BROADCAST when set (`brd X`, or what `brd +` resolves to).
    virtual Status add_address(const std::string& ns, const std::string& dev, const IfAddr& addr,
                               std::optional<Ipv4> broadcast = std::nullopt) = 0;
    virtual Status del_address(const std::string& ns, const std::string& dev, const IfAddr& addr) = 0;
    // add, change, replace, append or del, with iproute2's defaults for what is unset.
    virtual Status route(const std::string& ns, RouteOp op, const RouteSpec& route) = 0;
    // `sysctl -w KEY=VALUE` inside the namespace (through its /proc/sys).
    virtual Status set_sysctl(const std::string& ns, const std::string& key, const std::string& value) = 0;
};

}  // namespace vethlab::backend
