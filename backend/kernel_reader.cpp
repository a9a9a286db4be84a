#include "backend/kernel_reader.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "backend/netns.hpp"
#include "backend/nl_messages.hpp"
#include "backend/nl_request.hpp"
#include "backend/ns_files.hpp"
#include "model/netstate.hpp"

namespace vethlab::backend {
namespace {

NlMsg request(int type, const void* header, size_t size, int flags = NLM_F_DUMP) {
    NlMsg m(nlmsg_alloc_simple(type, flags));
    if (!m || nlmsg_append(m.get(), const_cast<void*>(header), size, NLMSG_ALIGNTO) < 0) throw std::bad_alloc();
    return m;
}

std::optional<std::string> read_links(nl_sock* sk, KernelNs& out) {
    NlMsg m = msg::dump_links();
    NlReply r = transact(sk, m.get(), [&](nlmsghdr* h) {
        if (auto l = parse_link(h)) out.links.push_back(KernelLink{std::move(*l), ""});
    });
    if (!r.ok()) return ip_error_text(r);
    std::sort(out.links.begin(), out.links.end(), [](const auto& a, const auto& b) { return a.ifindex < b.ifindex; });
    return std::nullopt;
}

std::optional<std::string> read_addresses(nl_sock* sk, KernelNs& out) {
    NlReply r = transact(sk, msg::dump_addresses().get(), [&](nlmsghdr* h) {
        if (auto a = parse_addr(h)) out.addrs.push_back(*a);
    });
    if (!r.ok()) return ip_error_text(r);
    return std::nullopt;
}

std::optional<std::string> read_routes(nl_sock* sk, KernelNs& out) {
    rtmsg rtm{};
    rtm.rtm_family = AF_INET;
    NlReply r = transact(sk, request(RTM_GETROUTE, &rtm, sizeof rtm).get(), [&](nlmsghdr* h) {
        if (auto route = parse_route(h, RouteParse::dump)) out.routes.push_back(*route);
    });
    if (!r.ok()) return ip_error_text(r);
    return std::nullopt;
}

// The id this namespace's socket knows another namespace by (-1: none assigned).
int nsid_of(nl_sock* sk, int other_fd) {
    rtgenmsg g{};
    g.rtgen_family = AF_UNSPEC;
    NlMsg m = request(RTM_GETNSID, &g, sizeof g, 0);
    const uint32_t fd = uint32_t(other_fd);
    nla_put(m.get(), NETNSA_FD, sizeof fd, &fd);
    int id = -1;
    transact(sk, m.get(), [&](nlmsghdr* h) {
        if (h->nlmsg_type != RTM_NEWNSID) return;
        nlattr* tb[NETNSA_MAX + 1] = {};
        if (nlmsg_parse(h, sizeof(rtgenmsg), tb, NETNSA_MAX, nullptr) >= 0 && tb[NETNSA_NSID])
            id = nla_get_s32(tb[NETNSA_NSID]);
    });
    return id;
}

// dir: /proc/sys/net/ipv4 opened in the namespace (relative opens spare most of the walk).
std::optional<std::string> read_sysctl(int dir, const std::string& key) {
    static constexpr std::string_view root = "net/ipv4/";
    const std::string path = sysctl_path(key);
    if (!std::string_view(path).starts_with(root)) return std::nullopt;
    UniqueFd fd(openat(dir, path.c_str() + root.size(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    char buf[64];
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    std::string v(buf, size_t(n));
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    return v;
}

}  // namespace

const KernelLink* KernelNs::link(int ifindex) const {
    for (const auto& l : links)
        if (l.ifindex == ifindex) return &l;
    return nullptr;
}

Result<std::vector<KernelNs>> read_namespaces(const std::vector<std::string>& names) {
    std::vector<UniqueFd> fds;
    for (const auto& name : names) {
        auto fd = open_netns(name);
        if (!fd) return Error{fd.error()};
        fds.push_back(std::move(fd).value());
    }
    std::vector<KernelNs> out(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        KernelNs& ns = out[i];
        ns.name = names[i];
        std::optional<std::string> error;
        auto err = run_in_netns(fds[i].get(), [&] {
            NlSock sock = open_route_socket();
            error = read_links(sock.get(), ns);
            if (!error) error = read_addresses(sock.get(), ns);
            if (!error) error = read_routes(sock.get(), ns);
            // The peers' namespaces, by the ids this namespace knows them by.
            std::map<int, std::string> by_id;
            bool asked = false;
            for (auto& l : ns.links) {
                if (!l.peer_nsid || *l.peer_nsid < 0) continue;
                if (!asked) {
                    for (size_t j = 0; j < names.size(); ++j)
                        if (j != i)
                            if (int id = nsid_of(sock.get(), fds[j].get()); id >= 0) by_id[id] = names[j];
                    asked = true;
                }
                if (auto it = by_id.find(*l.peer_nsid); it != by_id.end()) l.peer_ns = it->second;
            }
            std::vector<std::string> devices;
            for (const auto& l : ns.links) devices.push_back(l.name);
            UniqueFd dir(open("/proc/sys/net/ipv4", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!dir) return;
            for (const auto& key : known_sysctl_keys(devices))
                if (auto v = read_sysctl(dir.get(), key)) ns.sysctls[key] = *v;
        });
        if (err) return Error{*err};
        if (error) return Error{fmt::format("reading namespace {}: {}", names[i], *error)};
        for (auto& l : ns.links)
            if (l.kind == "veth" && !l.peer_nsid) l.peer_ns = ns.name;  // both ends here
    }
    return out;
}

std::vector<std::string> netns_names(const std::string& prefix) {
    std::vector<std::string> out;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(kNetnsRunDir), closedir);
    if (!dir) return out;
    while (dirent* e = readdir(dir.get())) {
        const std::string name = e->d_name;
        if (name == "." || name == ".." || !name.starts_with(prefix)) continue;
        out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace vethlab::backend
