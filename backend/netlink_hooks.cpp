#include "backend/netlink_hooks.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace vethlab::backend {
namespace {

std::optional<uint64_t> env_count(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char* end = nullptr;
    const unsigned long long k = std::strtoull(v, &end, 10);
    if (*end) return std::nullopt;
    return uint64_t(k);
}

}  // namespace

TestHooks test_hooks_from_env() {
    return {env_count("VETHLAB_TEST_PAUSE_AFTER"), env_count("VETHLAB_TEST_FAIL_AT")};
}

template <class F>
Status HookedNetlink::hooked(F&& call) {
    ++count_;
    if (hooks_.fail_at && count_ == *hooks_.fail_at)
        return fmt::format("injected failure (VETHLAB_TEST_FAIL_AT={})", count_);
    Status status = call();
    if (hooks_.pause_after && count_ == *hooks_.pause_after) {
        const std::string line = fmt::format("vethlab: test pause after {} operations\n", count_);
        if (write(STDERR_FILENO, line.data(), line.size()) < 0) {
        }
        pause();  // returns after a caught signal (SIGINT: up rolls back at the next step)
    }
    return status;
}

Status HookedNetlink::add_netns(const std::string& ns) {
    return hooked([&] { return inner_.add_netns(ns); });
}
Status HookedNetlink::del_netns(const std::string& ns, bool settle) {
    return hooked([&] { return inner_.del_netns(ns, settle); });
}
Status HookedNetlink::create_veth(const VethEnd& a, const VethEnd& b) {
    return hooked([&] { return inner_.create_veth(a, b); });
}
Status HookedNetlink::create_dummy(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return hooked([&] { return inner_.create_dummy(ns, name, opts); });
}
Status HookedNetlink::create_bridge(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return hooked([&] { return inner_.create_bridge(ns, name, opts); });
}
Status HookedNetlink::create_tap(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return hooked([&] { return inner_.create_tap(ns, name, opts); });
}
Status HookedNetlink::delete_link(const std::string& ns, const std::string& name) {
    return hooked([&] { return inner_.delete_link(ns, name); });
}
Status HookedNetlink::set_link(const std::string& ns, const std::string& name, const LinkChange& change) {
    return hooked([&] { return inner_.set_link(ns, name, change); });
}
Status HookedNetlink::add_address(const std::string& ns, const std::string& dev, const IfAddr& addr,
                                  std::optional<Ipv4> broadcast) {
    return hooked([&] { return inner_.add_address(ns, dev, addr, broadcast); });
}
Status HookedNetlink::del_address(const std::string& ns, const std::string& dev, const IfAddr& addr) {
    return hooked([&] { return inner_.del_address(ns, dev, addr); });
}
Status HookedNetlink::route(const std::string& ns, RouteOp op, const RouteSpec& r) {
    return hooked([&] { return inner_.route(ns, op, r); });
}
Status HookedNetlink::set_sysctl(const std::string& ns, const std::string& key, const std::string& value) {
    return hooked([&] { return inner_.set_sysctl(ns, key, value); });
}

}  // namespace vethlab::backend
