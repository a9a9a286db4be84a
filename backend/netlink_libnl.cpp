#include "backend/netlink_libnl.hpp"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "backend/netns.hpp"
#include "backend/nl_messages.hpp"
#include "backend/ns_files.hpp"
#include "backend/rtnl_dump.hpp"

namespace vethlab::backend {
namespace {

std::string no_device(const std::string& name) { return fmt::format("Cannot find device \"{}\"", name); }

}  // namespace

LibnlNetlink::LibnlNetlink() = default;
LibnlNetlink::~LibnlNetlink() = default;

void LibnlNetlink::close_all() { spaces_.clear(); }

Result<LibnlNetlink::Space*> LibnlNetlink::space(const std::string& ns) {
    if (auto it = spaces_.find(ns); it != spaces_.end()) return it->second.get();
    auto fd = open_netns(ns);
    if (!fd) return Error{fd.error()};
    auto s = std::make_unique<Space>();
    s->fd = std::move(fd).value();
    if (auto err = run_in_netns(s->fd.get(), [&] { s->sock = open_route_socket(); })) return Error{*err};
    Space* out = s.get();
    spaces_[ns] = std::move(s);
    return out;
}

void LibnlNetlink::names_changed(const std::string& ns) {
    for (auto& [name, s] : spaces_)
        if (ns.empty() || name == ns) s->fresh = false;
}

Result<int> LibnlNetlink::ifindex(Space& s, const std::string& name) {
    if (!s.fresh) {
        s.ifindex.clear();
        NlReply r = transact(s.sock.get(), msg::dump_links().get(), [&](nlmsghdr* h) {
            if (auto l = parse_link(h)) s.ifindex[l->name] = l->ifindex;
        });
        if (!r.ok()) return Error{ip_error_text(r)};
        s.fresh = true;
    }
    auto it = s.ifindex.find(name);
    if (it == s.ifindex.end()) return Error{no_device(name)};
    return it->second;
}

Status LibnlNetlink::send(Space& s, NlMsg m) {
    NlReply r = transact(s.sock.get(), m.get());
    if (r.ok()) return std::nullopt;
    return ip_error_text(r);
}

Status LibnlNetlink::add_netns(const std::string& ns) {
    auto s = std::make_unique<Space>();
    auto fd = create_netns(ns, [&] { s->sock = open_route_socket(); });
    if (!fd) return fd.error();
    s->fd = std::move(fd).value();
    s->ifindex["lo"] = 1;  // a new namespace holds lo only
    s->fresh = true;
    spaces_[ns] = std::move(s);
    return std::nullopt;
}

Status LibnlNetlink::del_netns(const std::string& ns, bool settle) {
    if (settle) {
        if (auto s = space(ns)) {
            Space& sp = **s;
            if (ifindex(sp, "lo")) {
                std::vector<int> links;
                for (const auto& [name, index] : sp.ifindex)
                    if (name != "lo") links.push_back(index);
                // A veth's peer in the same namespace goes with it: ENODEV is fine then.
                for (int index : links) transact(sp.sock.get(), msg::del_link(index).get());
            }
        }
    }
    spaces_.erase(ns);  // our descriptors would keep the namespace alive
    names_changed("");   // its veths take their peers along
    return delete_netns(ns);
}

bool LibnlNetlink::netns_exists(const std::string& ns) { return backend::netns_exists(ns); }
// NS_GET_ID where the kernel has it: nsfs inodes are reused, and a journal keyed on
// them could take a namespace made later for the lab's own.
std::optional<uint64_t> LibnlNetlink::netns_id(const std::string& ns) {
    if (auto id = netns_unique_id(ns)) return id;
    return netns_inode(ns);
}
bool LibnlNetlink::host_has_link(const std::string& name) { return if_nametoindex(name.c_str()) != 0; }

Status LibnlNetlink::create_veth(const VethEnd& a, const VethEnd& b) {
    auto sa = space(a.ns);
    if (!sa) return sa.error();
    int peer_fd = -1;
    if (b.ns != a.ns) {
        auto sb = space(b.ns);
        if (!sb) return fmt::format("Error: argument \"{}\" is wrong: Invalid \"netns\" value", b.ns);
        peer_fd = (*sb)->fd.get();
    }
    names_changed(a.ns);
    names_changed(b.ns);
    if (auto err = send(**sa, msg::veth(a, b, peer_fd))) return err;
    if (b.opts.up) return set_link(b.ns, b.name, LinkChange{.up = true});
    return std::nullopt;
}

Status LibnlNetlink::create_dummy(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    auto s = space(ns);
    if (!s) return s.error();
    names_changed(ns);
    return send(**s, msg::dummy(name, opts));
}

Status LibnlNetlink::create_bridge(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    auto s = space(ns);
    if (!s) return s.error();
    names_changed(ns);
    return send(**s, msg::bridge(name, opts));
}

Status LibnlNetlink::create_tap(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    auto s = space(ns);
    if (!s) return s.error();
    names_changed(ns);
    Status status;
    if (auto err = run_in_netns((*s)->fd.get(), [&] { status = make_persistent_tap(name); })) return err;
    if (status) return status;
    if (!opts.mtu && !opts.mac && !opts.up) return std::nullopt;
    LinkChange change{.mac = opts.mac, .mtu = opts.mtu};
    if (opts.up) change.up = true;
    return set_link(ns, name, change);
}

Status LibnlNetlink::delete_link(const std::string& ns, const std::string& name) {
    auto s = space(ns);
    if (!s) return s.error();
    auto index = ifindex(**s, name);
    if (!index) return index.error();
    names_changed("");  // a veth takes its peer along, wherever it is
    return send(**s, msg::del_link(*index));
}

Status LibnlNetlink::set_link(const std::string& ns, const std::string& name, const LinkChange& change) {
    auto s = space(ns);
    if (!s) return s.error();
    int netns_fd = -1;
    if (change.netns) {
        auto to = space(*change.netns);
        if (!to) return fmt::format("Error: argument \"{}\" is wrong: Invalid \"netns\" value", *change.netns);
        netns_fd = (*to)->fd.get();
    }
    // iproute2 resolves `master BR` in the caller's namespace before it sends anything.
    int master_index = 0;
    if (change.master && !change.master->empty()) {
        auto m = ifindex(**s, *change.master);
        if (!m) return fmt::format("Error: argument \"{}\" is wrong: Device does not exist", *change.master);
        master_index = *m;
    }
    // A rename needs the index (IFLA_IFNAME is then the new name); anything else can
    // name the link and spare the lookup.
    int index = 0;
    if (change.new_name) {
        auto i = ifindex(**s, name);
        if (!i) return i.error();
        index = *i;
    }
    if (change.netns || change.new_name) {
        names_changed(ns);
        if (change.netns) names_changed(*change.netns);
    }
    NlReply r = transact((*s)->sock.get(), msg::set_link(index, name, change, netns_fd, master_index).get());
    if (r.ok()) return std::nullopt;
    if (index == 0 && r.error == -ENODEV) return no_device(name);
    return ip_error_text(r);
}

Status LibnlNetlink::add_address(const std::string& ns, const std::string& dev, const IfAddr& addr,
                                 std::optional<Ipv4> broadcast) {
    auto s = space(ns);
    if (!s) return s.error();
    auto index = ifindex(**s, dev);
    if (!index) return index.error();
    return send(**s, msg::address(true, *index, addr, broadcast));
}

Status LibnlNetlink::del_address(const std::string& ns, const std::string& dev, const IfAddr& addr) {
    auto s = space(ns);
    if (!s) return s.error();
    auto index = ifindex(**s, dev);
    if (!index) return index.error();
    return send(**s, msg::address(false, *index, addr));
}

Status LibnlNetlink::route(const std::string& ns, RouteOp op, const RouteSpec& spec) {
    auto s = space(ns);
    if (!s) return s.error();
    int oif = 0;
    if (spec.dev) {
        auto index = ifindex(**s, *spec.dev);
        if (!index) return index.error();
        oif = *index;
    }
    return send(**s, msg::route(op, spec, oif));
}

Status LibnlNetlink::set_sysctl(const std::string& ns, const std::string& key, const std::string& value) {
    auto s = space(ns);
    if (!s) return s.error();
    Status status;
    if (auto err = run_in_netns((*s)->fd.get(), [&] { status = write_sysctl(key, value); })) return err;
    return status;
}

}  // namespace vethlab::backend
