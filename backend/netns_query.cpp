#include "backend/netns_query.hpp"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <cstring>
#include <thread>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "backend/netns.hpp"
#include "backend/nl_messages.hpp"

namespace vethlab::backend {
namespace {

NlMsg route_request(int flags, Ipv4 dst, bool with_dst) {
    NlMsg m(nlmsg_alloc_simple(RTM_GETROUTE, flags));
    rtmsg rtm{};
    rtm.rtm_family = AF_INET;
    rtm.rtm_dst_len = with_dst ? 32 : 0;
    nlmsg_append(m.get(), &rtm, sizeof rtm, NLMSG_ALIGNTO);
    if (with_dst) nla_put_u32(m.get(), RTA_DST, htonl(dst.value()));
    return m;
}

}  // namespace

Result<NetnsQuery> NetnsQuery::open(const std::string& ns) {
    auto fd = open_netns(ns);
    if (!fd) return Error{fd.error()};
    NetnsQuery q;
    if (auto err = run_in_netns(fd.value().get(), [&] { q.sock_ = open_route_socket(); }))
        return Error{ns + ": " + *err};
    return q;
}

RouteAnswer NetnsQuery::route_get(Ipv4 dst) {
    RouteAnswer a;
    std::optional<Route> got;
    NlMsg m = route_request(0, dst, true);
    const NlReply r = transact(sock_.get(), m.get(), [&](nlmsghdr* h) {
        if (!got) got = parse_route(h, RouteParse::answer);
    });
    if (!r.ok()) {
        a.error = r.extack.empty() ? std::strerror(-r.error) : r.extack;
        return a;
    }
    if (!got) {
        a.error = "no answer";
        return a;
    }
    a.type = got->type;
    a.gateway = got->gateway;
    a.src = got->prefsrc;
    if (got->oif) a.dev = ifname(got->oif);
    return a;
}

std::string NetnsQuery::ifname(int ifindex) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto it = names_.find(ifindex); it != names_.end()) return it->second;
        if (attempt == 0)
            if (auto ls = links())
                for (const auto& l : ls.value()) names_[l.ifindex] = l.name;
    }
    return "";
}

Result<std::vector<LiveLink>> NetnsQuery::links() {
    std::vector<LiveLink> out;
    NlMsg m = msg::dump_links();
    const NlReply r = transact(sock_.get(), m.get(), [&](nlmsghdr* h) {
        if (auto l = parse_link(h)) out.push_back(std::move(*l));
    });
    if (!r.ok()) return Error{ip_error_text(r)};
    return out;
}

Result<std::vector<Route>> NetnsQuery::routes() {
    std::vector<Route> out;
    NlMsg m = route_request(NLM_F_DUMP, Ipv4(), false);
    const NlReply r = transact(sock_.get(), m.get(), [&](nlmsghdr* h) {
        if (auto route = parse_route(h, RouteParse::dump); route && (route->table == kTableMain || route->table == kTableLocal))
            out.push_back(*route);
    });
    if (!r.ok()) return Error{ip_error_text(r)};
    return out;
}

Result<std::vector<std::pair<std::string, Ipv4>>> NetnsQuery::addresses() {
    std::vector<std::pair<int, Ipv4>> found;
    NlReply r = transact(sock_.get(), msg::dump_addresses().get(), [&](nlmsghdr* h) {
        if (auto a = parse_addr(h)) found.emplace_back(a->ifindex, a->addr.local());
    });
    if (!r.ok()) return Error{ip_error_text(r)};
    std::vector<std::pair<std::string, Ipv4>> out;
    for (const auto& [ifindex, addr] : found) out.emplace_back(ifname(ifindex), addr);
    return out;
}

Result<std::vector<NetnsQuery::RawNeighbour>> NetnsQuery::dump_neighbours() {
    std::vector<RawNeighbour> entries;
    NlMsg dump(nlmsg_alloc_simple(RTM_GETNEIGH, NLM_F_DUMP));
    ndmsg nd{};
    nd.ndm_family = AF_INET;
    nlmsg_append(dump.get(), &nd, sizeof nd, NLMSG_ALIGNTO);
    NlReply r = transact(sock_.get(), dump.get(), [&](nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWNEIGH) return;
        const auto* n = static_cast<const ndmsg*>(nlmsg_data(h));
        nlattr* tb[NDA_MAX + 1] = {};
        if (nlmsg_parse(h, sizeof(ndmsg), tb, NDA_MAX, nullptr) < 0 || !tb[NDA_DST] || n->ndm_family != AF_INET) return;
        uint32_t be = 0;
        std::memcpy(&be, nla_data(tb[NDA_DST]), sizeof be);
        entries.push_back({n->ndm_ifindex, be, n->ndm_state});
    });
    if (!r.ok()) return Error{ip_error_text(r)};
    return entries;
}

Result<std::vector<KernelNeighbour>> NetnsQuery::neighbours() {
    auto raw = dump_neighbours();
    if (!raw) return Error{raw.error()};
    std::vector<KernelNeighbour> out;
    for (const auto& e : raw.value()) {
        if (e.state & NUD_NOARP) continue;  // ip neigh leaves them out unless asked for `nud all`
        std::string state = "NONE";
        for (auto [bit, word] : {std::pair{NUD_INCOMPLETE, "INCOMPLETE"}, {NUD_REACHABLE, "REACHABLE"},
                                 {NUD_STALE, "STALE"}, {NUD_DELAY, "DELAY"}, {NUD_PROBE, "PROBE"},
                                 {NUD_FAILED, "FAILED"}, {NUD_NOARP, "NOARP"}, {NUD_PERMANENT, "PERMANENT"}})
            if (e.state & bit) state = word;
        out.push_back({ifname(e.ifindex), Ipv4(ntohl(e.dst_be)), state});
    }
    return out;
}

Result<size_t> NetnsQuery::flush_neighbours() {
    auto raw = dump_neighbours();
    if (!raw) return Error{raw.error()};
    std::vector<RawNeighbour> entries;
    for (const auto& e : raw.value())
        if (!(e.state & (NUD_PERMANENT | NUD_NOARP))) entries.push_back(e);
    size_t removed = 0;
    for (const auto& e : entries) {
        NlMsg del(nlmsg_alloc_simple(RTM_DELNEIGH, 0));
        ndmsg d{};
        d.ndm_family = AF_INET;
        d.ndm_ifindex = e.ifindex;
        nlmsg_append(del.get(), &d, sizeof d, NLMSG_ALIGNTO);
        nla_put_u32(del.get(), NDA_DST, e.dst_be);
        removed += transact(sock_.get(), del.get()).ok();
    }
    return removed;
}

std::vector<std::string> wait_for_linkwatch(std::vector<NetnsQuery*> spaces, const std::vector<std::string>& names,
                                            std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
        std::vector<std::string> unsettled;
        for (size_t i = 0; i < spaces.size(); ++i) {
            auto ls = spaces[i]->links();
            if (!ls) continue;
            for (const auto& l : ls.value()) {
                if (!l.up() || l.name == "lo") continue;
                // Devices without carrier handling (dummy) stay UNKNOWN once linkwatch ran.
                const bool oper_up = l.operstate == IF_OPER_UP || l.operstate == IF_OPER_UNKNOWN;
                // Without carrier: a veth is LOWERLAYERDOWN only once linkwatch ran -- which
                // flushes the device's neighbours, and with them any probe waiting for ARP.
                const bool settled = l.lower_up()  ? oper_up && l.qdisc != "noop"
                                     : l.has_lower() ? l.operstate == IF_OPER_LOWERLAYERDOWN
                                                   : l.operstate != IF_OPER_UP;
                if (!settled) unsettled.push_back(names[i] + ":" + l.name);
            }
        }
        if (unsettled.empty() || std::chrono::steady_clock::now() >= until) return unsettled;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace vethlab::backend
