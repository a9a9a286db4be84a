#pragma once
// The Netlink interface on the real kernel through libnl-3: one NETLINK_ROUTE socket
// per namespace, opened by a thread that joined it, so this process never leaves the
// host namespace. Names are resolved to ifindexes from a per-namespace snapshot
// (one link dump), refreshed after anything that may have changed the names.
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "backend/netlink.hpp"
#include "backend/nl_request.hpp"
#include "backend/unique_fd.hpp"
#include "model/result.hpp"

namespace vethlab::backend {

class LibnlNetlink final : public Netlink {
public:
    LibnlNetlink();
    ~LibnlNetlink() override;

    Status add_netns(const std::string& ns) override;
    Status del_netns(const std::string& ns, bool settle = false) override;
    bool netns_exists(const std::string& ns) override;
    std::optional<uint64_t> netns_id(const std::string& ns) override;
    bool host_has_link(const std::string& name) override;

    Status create_veth(const VethEnd& a, const VethEnd& b) override;
    Status create_dummy(const std::string& ns, const std::string& name, const LinkOpts& opts) override;
    Status create_bridge(const std::string& ns, const std::string& name, const LinkOpts& opts) override;
    Status create_tap(const std::string& ns, const std::string& name, const LinkOpts& opts) override;
    Status delete_link(const std::string& ns, const std::string& name) override;
    Status set_link(const std::string& ns, const std::string& name, const LinkChange& change) override;

    Status add_address(const std::string& ns, const std::string& dev, const IfAddr& addr,
                       std::optional<Ipv4> broadcast = std::nullopt) override;
    Status del_address(const std::string& ns, const std::string& dev, const IfAddr& addr) override;
    Status route(const std::string& ns, RouteOp op, const RouteSpec& route) override;
    Status set_sysctl(const std::string& ns, const std::string& key, const std::string& value) override;

    // Closes every socket and namespace descriptor (a namespace is freed only when
    // nothing holds it).
    void close_all();

private:
    struct Space {
        UniqueFd fd;
        NlSock sock;
        std::unordered_map<std::string, int> ifindex;  // snapshot of the names
        bool fresh = false;                            // snapshot still complete
    };

    Result<Space*> space(const std::string& ns);
    Result<int> ifindex(Space& s, const std::string& name);
    Status send(Space& s, NlMsg msg);
    void names_changed(const std::string& ns);  // "" = any namespace

    std::map<std::string, std::unique_ptr<Space>> spaces_;
};

}  // namespace vethlab::backend
