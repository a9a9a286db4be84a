#include "backend/rtnl_dump.hpp"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include <array>
#include <cstring>

#include <netlink/attr.h>
#include <netlink/msg.h>

namespace vethlab::backend {
namespace {

Ipv4 ipv4_attr(const nlattr* a) {
    uint32_t be = 0;
    std::memcpy(&be, nla_data(a), sizeof be);
    return Ipv4(ntohl(be));
}

std::string link_kind(const ifinfomsg* ifi, nlattr* linkinfo) {
    if (ifi->ifi_type == ARPHRD_LOOPBACK) return "loopback";
    if (!linkinfo) return "";
    nlattr* info[IFLA_INFO_MAX + 1] = {};
    if (nla_parse_nested(info, IFLA_INFO_MAX, linkinfo, nullptr) < 0 || !info[IFLA_INFO_KIND]) return "";
    std::string kind = nla_get_string(info[IFLA_INFO_KIND]);
    if (kind == "tun" && info[IFLA_INFO_DATA]) {
        nlattr* tun[IFLA_TUN_MAX + 1] = {};
        if (nla_parse_nested(tun, IFLA_TUN_MAX, info[IFLA_INFO_DATA], nullptr) >= 0 && tun[IFLA_TUN_TYPE] &&
            nla_get_u8(tun[IFLA_TUN_TYPE]) == IFF_TAP)
            kind = "tap";
    }
    return kind;
}

std::optional<RouteType> route_type(uint8_t t) {
    switch (t) {
        case RTN_LOCAL: return RouteType::local;
        case RTN_BROADCAST: return RouteType::broadcast;
        case RTN_BLACKHOLE: return RouteType::blackhole;
        case RTN_UNREACHABLE: return RouteType::unreachable;
        case RTN_PROHIBIT: return RouteType::prohibit;
        case RTN_UNICAST: return RouteType::unicast;
        default: return std::nullopt;
    }
}

}  // namespace

bool RtnlLink::up() const { return (flags & IFF_UP) != 0; }
bool RtnlLink::lower_up() const { return (flags & IFF_LOWER_UP) != 0; }

std::optional<RtnlLink> parse_link(nlmsghdr* h) {
    if (h->nlmsg_type != RTM_NEWLINK) return std::nullopt;
    nlattr* tb[IFLA_MAX + 1] = {};
    if (nlmsg_parse(h, sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0 || !tb[IFLA_IFNAME]) return std::nullopt;
    const auto* ifi = static_cast<const ifinfomsg*>(nlmsg_data(h));
    RtnlLink l;
    l.ifindex = ifi->ifi_index;
    l.name = nla_get_string(tb[IFLA_IFNAME]);
    l.kind = link_kind(ifi, tb[IFLA_LINKINFO]);
    l.flags = ifi->ifi_flags;
    if (tb[IFLA_OPERSTATE]) l.operstate = nla_get_u8(tb[IFLA_OPERSTATE]);
    if (tb[IFLA_QDISC]) l.qdisc = nla_get_string(tb[IFLA_QDISC]);
    if (tb[IFLA_MTU]) l.mtu = nla_get_u32(tb[IFLA_MTU]);
    if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == 6) {
        std::array<uint8_t, 6> b{};
        std::memcpy(b.data(), nla_data(tb[IFLA_ADDRESS]), 6);
        l.mac = Mac(b);
    }
    if (tb[IFLA_LINK]) l.peer_ifindex = int(nla_get_u32(tb[IFLA_LINK]));
    if (tb[IFLA_LINK_NETNSID]) l.peer_nsid = int(nla_get_s32(tb[IFLA_LINK_NETNSID]));
    if (tb[IFLA_MASTER]) l.master = int(nla_get_u32(tb[IFLA_MASTER]));
    return l;
}

std::optional<RtnlAddr> parse_addr(nlmsghdr* h) {
    if (h->nlmsg_type != RTM_NEWADDR) return std::nullopt;
    const auto* msg = static_cast<const ifaddrmsg*>(nlmsg_data(h));
    nlattr* tb[IFA_MAX + 1] = {};
    if (msg->ifa_family != AF_INET || nlmsg_parse(h, sizeof(ifaddrmsg), tb, IFA_MAX, nullptr) < 0) return std::nullopt;
    nlattr* local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (!local) return std::nullopt;
    RtnlAddr a;
    a.ifindex = int(msg->ifa_index);
    a.addr = IfAddr(ipv4_attr(local), msg->ifa_prefixlen);
    if (tb[IFA_BROADCAST]) a.broadcast = ipv4_attr(tb[IFA_BROADCAST]);
    a.scope = msg->ifa_scope;
    const uint32_t flags = tb[IFA_FLAGS] ? nla_get_u32(tb[IFA_FLAGS]) : msg->ifa_flags;
    a.secondary = flags & IFA_F_SECONDARY;
    return a;
}

std::optional<Route> parse_route(nlmsghdr* h, RouteParse what) {
    if (h->nlmsg_type != RTM_NEWROUTE) return std::nullopt;
    const auto* rtm = static_cast<const rtmsg*>(nlmsg_data(h));
    if (rtm->rtm_family != AF_INET) return std::nullopt;
    if (what == RouteParse::dump && (rtm->rtm_flags & RTM_F_CLONED)) return std::nullopt;
    nlattr* tb[RTA_MAX + 1] = {};
    if (nlmsg_parse(h, sizeof(rtmsg), tb, RTA_MAX, nullptr) < 0) return std::nullopt;
    auto type = route_type(rtm->rtm_type);
    if (!type) {
        if (what == RouteParse::dump) return std::nullopt;
        type = RouteType::unicast;
    }
    Route r;
    r.table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
    r.type = *type;
    r.dst = Prefix(tb[RTA_DST] ? ipv4_attr(tb[RTA_DST]) : Ipv4(), rtm->rtm_dst_len);
    r.tos = rtm->rtm_tos;
    if (tb[RTA_PRIORITY]) r.metric = nla_get_u32(tb[RTA_PRIORITY]);
    if (tb[RTA_GATEWAY]) r.gateway = ipv4_attr(tb[RTA_GATEWAY]);
    if (tb[RTA_OIF]) r.oif = int(nla_get_u32(tb[RTA_OIF]));
    if (tb[RTA_PREFSRC]) r.prefsrc = ipv4_attr(tb[RTA_PREFSRC]);
    r.scope = RouteScope(rtm->rtm_scope);
    r.proto = RouteProto(rtm->rtm_protocol);
    r.onlink = (rtm->rtm_flags & RTNH_F_ONLINK) != 0;
    return r;
}

}  // namespace vethlab::backend
