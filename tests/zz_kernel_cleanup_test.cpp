// Runs last (Catch2 runs tests in declaration order; this file links last): nothing
// the kernel tests of this run made is left.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <sstream>
#include <string>

#include "kernel_lab.hpp"

using vethlab::testing::run_shell;

TEST_CASE("kernel: zz: no namespace with this run's prefix remains", "[kernel][zz]") {
    if (auto why = vethlab::testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    const std::string prefix = "vl" + std::to_string(getpid()) + "-";
    std::istringstream in(run_shell("ip netns list").out);
    std::string line;
    while (std::getline(in, line)) {
        INFO(line);
        CHECK_FALSE(line.starts_with(prefix));
    }
    // And no link in the host names one of them (a veth end left in the host).
    CHECK(run_shell("ip -o link show | grep -c '" + prefix + "'").out == "0\n");
}
