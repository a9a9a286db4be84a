// Namespaces made by the backend are iproute2's: `ip netns list`, `ip -n` and
// `ip netns exec` see them, and `ip netns add` / `del` interoperate with ours.
#include <catch2/catch.hpp>

#include "backend/netns.hpp"
#include "kernel_lab.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;

TEST_CASE("kernel: a namespace made by the backend is an iproute2 namespace", "[kernel][backend]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    const std::string name = lab.real("a");
    std::string inside_ns;
    auto fd = backend::create_netns(name, [&] { inside_ns = run_shell("readlink /proc/thread-self/ns/net").out; });
    REQUIRE(fd.ok());
    CHECK(backend::netns_exists(name));
    CHECK(lab.namespaces() == std::vector<std::string>{name});
    // The process itself stayed in the host namespace.
    CHECK(run_shell("readlink /proc/self/ns/net").out != run_shell("ip netns exec " + name + " readlink /proc/self/ns/net").out);
    CHECK(run_shell("ip -n " + name + " -o link show").out.find("1: lo: <LOOPBACK>") != std::string::npos);
    CHECK(run_shell("ip netns exec " + name + " ip -o link show | wc -l").out == "1\n");
    CHECK(backend::netns_inode(name).has_value());
    // The callback ran inside the new namespace.
    CHECK(inside_ns == run_shell("ip netns exec " + name + " readlink /proc/self/ns/net").out);

    // A second one with the same name is refused as ip refuses it.
    auto again = backend::create_netns(name);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error() == "Cannot create namespace file \"/run/netns/" + name + "\": File exists");

    CHECK_FALSE(backend::delete_netns(name).has_value());
    CHECK_FALSE(backend::netns_exists(name));
    CHECK(lab.namespaces().empty());
    CHECK(backend::delete_netns(name).value_or("") ==
          "Cannot remove namespace file \"/run/netns/" + name + "\": No such file or directory");
    CHECK(backend::open_netns(name).error() ==
          "Cannot open network namespace \"" + name + "\": No such file or directory");
}

TEST_CASE("kernel: ip netns add and the backend see each other's namespaces", "[kernel][backend]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    const std::string name = lab.real("b");
    REQUIRE(run_shell("ip netns add " + name).status == 0);
    CHECK(backend::netns_exists(name));
    auto opened = backend::open_netns(name);
    REQUIRE(opened.ok());
    backend::UniqueFd fd = std::move(opened).value();
    std::string seen;
    CHECK_FALSE(backend::run_in_netns(fd.get(), [&] { seen = run_shell("ip -o link show").out; }).has_value());
    CHECK(seen == run_shell("ip -n " + name + " -o link show").out);
    fd.reset();
    CHECK_FALSE(backend::delete_netns(name).has_value());
    CHECK(lab.namespaces().empty());
}
