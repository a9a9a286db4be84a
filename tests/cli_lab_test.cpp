// vethlab plan / up / down from the command line, without touching the kernel.
#include <catch2/catch.hpp>

#include "backend_support.hpp"
#include "shell.hpp"

#include <fstream>

using vethlab::testing::run_shell;

namespace {

const std::string kCli = VETHLAB_CLI;

}  // namespace

TEST_CASE("cli: vethlab plan prints ip commands, prefixed, and needs no privileges", "[cli][plan]") {
    const auto r = run_shell("setpriv --bounding-set -net_admin,-sys_admin " + kCli + " plan " +
                             vethlab::testing::example("mesh3.sh") + " --prefix lab-");
    CHECK(r.status == 0);
    CHECK(r.out.rfind("ip netns add lab-ns1\n", 0) == 0);
    CHECK(r.out.find("ip -n lab-ns1 link add v12 up type veth peer name v21 netns lab-ns2  # lines 21, 32, 33\n"
                     "ip -n lab-ns2 link set v21 up\n") != std::string::npos);
}

TEST_CASE("cli: vethlab plan refuses host changes with file:line:col", "[cli][plan]") {
    vethlab::testing::TempDir dir;
    const std::string file = dir.path() + "/host.sh";
    std::ofstream(file) << "ip netns add a\nip route add blackhole 10.9.0.0/16\n";
    const auto r = run_shell(kCli + " plan " + file);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == file + ":2:1: 'ip route add blackhole 10.9.0.0/16' changes the host's own namespace; vethlab "
                          "changes only namespaces it creates (run it in one of them with `ip -n NS` or `ip netns "
                          "exec NS`)\n");
}

TEST_CASE("cli: up and down usage errors", "[cli][plan]") {
    CHECK(run_shell(kCli + " up").status == 2);
    CHECK(run_shell(kCli + " down").status == 2);
    CHECK(run_shell(kCli + " plan " + vethlab::testing::example("seed.sh") + " --prefix 'a/b'").status == 1);
    const auto bad = run_shell(kCli + " up " + vethlab::testing::example("seed.sh") + " --name a/x");
    CHECK(bad.status == 1);
    CHECK(bad.err.find("vethlab up: lab name 'a/x' may hold only letters") != std::string::npos);
}
