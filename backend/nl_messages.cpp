#include "backend/nl_messages.hpp"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>

#include <new>

#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>

namespace vethlab::backend::msg {
namespace {

NlMsg make(int type, int flags) {
    NlMsg m(nlmsg_alloc_simple(type, flags));
    if (!m) throw std::bad_alloc();
    return m;
}

void append(nl_msg* m, const void* header, size_t size) {
    if (nlmsg_append(m, const_cast<void*>(header), size, NLMSG_ALIGNTO) < 0) throw std::bad_alloc();
}

void put(nl_msg* m, int type, const void* data, size_t size) {
    if (nla_put(m, type, int(size), data) < 0) throw std::bad_alloc();
}

void put_u32(nl_msg* m, int type, uint32_t v) { put(m, type, &v, sizeof v); }

void put_ipv4(nl_msg* m, int type, Ipv4 a) {
    const uint32_t be = htonl(a.value());
    put(m, type, &be, sizeof be);
}

void put_string(nl_msg* m, int type, const std::string& s) {
    if (nla_put_string(m, type, s.c_str()) < 0) throw std::bad_alloc();
}

// libnl's link object for one veth end (name, MTU, MAC, flags).
void describe(rtnl_link* link, const VethEnd& end) {
    rtnl_link_set_name(link, end.name.c_str());
    if (end.opts.mtu) rtnl_link_set_mtu(link, *end.opts.mtu);
    if (end.opts.mac) {
        auto bytes = end.opts.mac->bytes();
        nl_addr* lladdr = nl_addr_build(AF_LLC, bytes.data(), bytes.size());
        if (!lladdr) throw std::bad_alloc();
        rtnl_link_set_addr(link, lladdr);
        nl_addr_put(lladdr);
    }
    if (end.opts.up) rtnl_link_set_flags(link, IFF_UP);
}

unsigned char rt_type(RouteType t) {
    switch (t) {
        case RouteType::unicast: return RTN_UNICAST;
        case RouteType::local: return RTN_LOCAL;
        case RouteType::broadcast: return RTN_BROADCAST;
        case RouteType::blackhole: return RTN_BLACKHOLE;
        case RouteType::unreachable: return RTN_UNREACHABLE;
        case RouteType::prohibit: return RTN_PROHIBIT;
    }
    return RTN_UNICAST;
}

// iproute.c iproute_modify: the scope ip picks when none is given.
unsigned char default_scope(RouteOp op, const RouteSpec& s) {
    switch (s.type) {
        case RouteType::local: return RT_SCOPE_HOST;
        case RouteType::broadcast: return RT_SCOPE_LINK;
        case RouteType::unicast:
            if (op == RouteOp::del) return RT_SCOPE_NOWHERE;
            return s.via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
        default: return op == RouteOp::del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
    }
}

}  // namespace

NlMsg veth(const VethEnd& a, const VethEnd& b, int peer_ns_fd) {
    std::unique_ptr<rtnl_link, void (*)(rtnl_link*)> link(rtnl_link_veth_alloc(), rtnl_link_put);
    if (!link) throw std::bad_alloc();
    describe(link.get(), a);
    {
        std::unique_ptr<rtnl_link, void (*)(rtnl_link*)> peer(rtnl_link_veth_get_peer(link.get()), rtnl_link_put);
        VethEnd peer_end = b;
        peer_end.opts.up = false;  // see the header: the peer is set up afterwards
        describe(peer.get(), peer_end);
        if (peer_ns_fd >= 0) rtnl_link_set_ns_fd(peer.get(), peer_ns_fd);
    }
    nl_msg* raw = nullptr;
    if (rtnl_link_build_add_request(link.get(), NLM_F_CREATE | NLM_F_EXCL, &raw) < 0) throw std::bad_alloc();
    return NlMsg(raw);
}

namespace {

// `ip link add NAME [mtu M] [address MAC] [up] type KIND`, for a kind without options.
NlMsg plain_link(const char* kind, const std::string& name, const LinkOpts& opts) {
    NlMsg m = make(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    if (opts.up) ifi.ifi_flags = ifi.ifi_change = IFF_UP;
    append(m.get(), &ifi, sizeof ifi);
    put_string(m.get(), IFLA_IFNAME, name);
    if (opts.mtu) put_u32(m.get(), IFLA_MTU, *opts.mtu);
    if (opts.mac) put(m.get(), IFLA_ADDRESS, opts.mac->bytes().data(), 6);
    nlattr* info = nla_nest_start(m.get(), IFLA_LINKINFO);
    if (!info) throw std::bad_alloc();
    put_string(m.get(), IFLA_INFO_KIND, kind);
    nla_nest_end(m.get(), info);
    return m;
}

}  // namespace

NlMsg dummy(const std::string& name, const LinkOpts& opts) { return plain_link("dummy", name, opts); }
NlMsg bridge(const std::string& name, const LinkOpts& opts) { return plain_link("bridge", name, opts); }

NlMsg set_link(int ifindex, const std::string& name, const LinkChange& c, int netns_fd, int master_index) {
    NlMsg m = make(RTM_NEWLINK, 0);
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = ifindex;
    if (c.up) {
        ifi.ifi_change = IFF_UP;
        ifi.ifi_flags = *c.up ? IFF_UP : 0;
    }
    append(m.get(), &ifi, sizeof ifi);
    if (ifindex <= 0) put_string(m.get(), IFLA_IFNAME, name);  // look the link up by name
    else if (c.new_name) put_string(m.get(), IFLA_IFNAME, *c.new_name);
    if (c.netns) put_u32(m.get(), IFLA_NET_NS_FD, uint32_t(netns_fd));
    if (c.mac) put(m.get(), IFLA_ADDRESS, c.mac->bytes().data(), 6);
    if (c.mtu) put_u32(m.get(), IFLA_MTU, *c.mtu);
    if (c.master) put_u32(m.get(), IFLA_MASTER, uint32_t(master_index));
    return m;
}

NlMsg del_link(int ifindex) {
    NlMsg m = make(RTM_DELLINK, 0);
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    ifi.ifi_index = ifindex;
    append(m.get(), &ifi, sizeof ifi);
    return m;
}

// ipaddress.c ipaddr_modify: IFA_LOCAL and IFA_ADDRESS; scope host for 127/8 on add.
NlMsg address(bool add, int ifindex, const IfAddr& addr, std::optional<Ipv4> broadcast) {
    NlMsg m = make(add ? RTM_NEWADDR : RTM_DELADDR, add ? NLM_F_CREATE | NLM_F_EXCL : 0);
    ifaddrmsg ifa{};
    ifa.ifa_family = AF_INET;
    ifa.ifa_prefixlen = uint8_t(addr.len());
    ifa.ifa_index = uint32_t(ifindex);
    if (add && addr.local().is_loopback()) ifa.ifa_scope = RT_SCOPE_HOST;
    append(m.get(), &ifa, sizeof ifa);
    put_ipv4(m.get(), IFA_LOCAL, addr.local());
    put_ipv4(m.get(), IFA_ADDRESS, addr.local());
    if (add && broadcast) put_ipv4(m.get(), IFA_BROADCAST, *broadcast);
    return m;
}

// iproute.c iproute_modify with do_iproute's flags for each verb.
NlMsg route(RouteOp op, const RouteSpec& s, int oif) {
    int flags = 0;
    switch (op) {
        case RouteOp::add: flags = NLM_F_CREATE | NLM_F_EXCL; break;
        case RouteOp::change: flags = NLM_F_REPLACE; break;
        case RouteOp::replace: flags = NLM_F_CREATE | NLM_F_REPLACE; break;
        case RouteOp::append: flags = NLM_F_CREATE | NLM_F_APPEND; break;
        case RouteOp::del: flags = 0; break;
    }
    const bool del = op == RouteOp::del;
    NlMsg m = make(del ? RTM_DELROUTE : RTM_NEWROUTE, flags);
    rtmsg rtm{};
    rtm.rtm_family = AF_INET;
    rtm.rtm_dst_len = uint8_t(s.dst.len());
    rtm.rtm_tos = s.tos;
    const uint32_t table = s.effective_table();
    rtm.rtm_table = table < 256 ? uint8_t(table) : uint8_t(RT_TABLE_UNSPEC);
    rtm.rtm_protocol = s.proto ? uint8_t(*s.proto) : uint8_t(del ? RTPROT_UNSPEC : RTPROT_BOOT);
    rtm.rtm_scope = s.scope ? uint8_t(*s.scope) : default_scope(op, s);
    rtm.rtm_type = (del && !s.type_given) ? uint8_t(RTN_UNSPEC) : rt_type(s.type);
    if (s.onlink) rtm.rtm_flags |= RTNH_F_ONLINK;
    append(m.get(), &rtm, sizeof rtm);
    if (table >= 256) put_u32(m.get(), RTA_TABLE, table);
    if (s.dst.len() > 0) put_ipv4(m.get(), RTA_DST, s.dst.network());
    if (s.metric) put_u32(m.get(), RTA_PRIORITY, *s.metric);
    if (s.via) put_ipv4(m.get(), RTA_GATEWAY, *s.via);
    if (oif > 0) put_u32(m.get(), RTA_OIF, uint32_t(oif));
    if (s.src) put_ipv4(m.get(), RTA_PREFSRC, *s.src);
    return m;
}

NlMsg dump_links() {
    NlMsg m = make(RTM_GETLINK, NLM_F_DUMP);
    ifinfomsg ifi{};
    ifi.ifi_family = AF_UNSPEC;
    append(m.get(), &ifi, sizeof ifi);
    put_u32(m.get(), IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    return m;
}

NlMsg dump_addresses() {
    NlMsg m = make(RTM_GETADDR, NLM_F_DUMP);
    ifaddrmsg ifa{};
    ifa.ifa_family = AF_INET;
    append(m.get(), &ifa, sizeof ifa);
    return m;
}

}  // namespace vethlab::backend::msg
