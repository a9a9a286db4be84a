#pragma once
// A Netlink that changes nothing: it records each call as one line of text, keeps the
// set of namespaces it was asked to create, and refuses the calls a test tells it to.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backend/netlink.hpp"

namespace vethlab::backend {

class FakeNetlink final : public Netlink {
public:
    // Every call, in order, e.g. "netns add lab-ns0", "veth lab-ns0/veth0 up -- lab-ns1/veth1",
    // "addr add lab-ns0/veth0 10.0.0.1/24", "route change lab-ns0 10.0.0.0/24 via 0.0.0.0 dev veth0".
    std::vector<std::string> calls;
    std::set<std::string> namespaces;  // what exists (tests may add foreign ones)
    std::set<std::string> host_links;  // links of the host namespace

    // The first call whose text starts with `call` fails with `message`.
    void refuse(std::string call, std::string message) { refusals_[std::move(call)] = std::move(message); }

    Status add_netns(const std::string& ns) override;
    Status del_netns(const std::string& ns, bool settle = false) override;
    bool netns_exists(const std::string& ns) override { return namespaces.count(ns) > 0; }
    std::optional<uint64_t> netns_id(const std::string& ns) override;
    bool host_has_link(const std::string& name) override { return host_links.count(name) > 0; }

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

private:
    Status record(std::string call);
    std::map<std::string, std::string> refusals_;
    std::map<std::string, uint64_t> ids_;
    uint64_t next_id_ = 4026530000;
};

}  // namespace vethlab::backend
