#pragma once
// Test hooks around the real kernel interface, for crash-consistency tests of up and
// down. Every call that changes something counts as one operation:
//   VETHLAB_TEST_PAUSE_AFTER=k  after the k-th operation, print "vethlab: test pause after
//                               k operations" on stderr and wait for a signal (SIGKILL
//                               ends the process there; SIGINT lets `up` roll back);
//   VETHLAB_TEST_FAIL_AT=k      the k-th operation is not run and fails as if the kernel
//                               had refused it.
// Without these variables the hooks pass every call straight through.
#include <cstdint>
#include <optional>

#include "backend/netlink.hpp"

namespace vethlab::backend {

struct TestHooks {
    std::optional<uint64_t> pause_after, fail_at;
    bool any() const { return pause_after || fail_at; }
};

TestHooks test_hooks_from_env();

class HookedNetlink final : public Netlink {
public:
    HookedNetlink(Netlink& inner, TestHooks hooks) : inner_(inner), hooks_(hooks) {}

    Status add_netns(const std::string& ns) override;
    Status del_netns(const std::string& ns, bool settle = false) override;
    bool netns_exists(const std::string& ns) override { return inner_.netns_exists(ns); }
    std::optional<uint64_t> netns_id(const std::string& ns) override { return inner_.netns_id(ns); }
    bool host_has_link(const std::string& name) override { return inner_.host_has_link(name); }

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

    uint64_t operations() const { return count_; }

private:
    template <class F>
    Status hooked(F&& call);

    Netlink& inner_;
    TestHooks hooks_;
    uint64_t count_ = 0;
};

}  // namespace vethlab::backend
