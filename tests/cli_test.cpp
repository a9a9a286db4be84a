// The vethlab command as a user runs it: exit codes, stdout/stderr, round trips.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "shell.hpp"

using vethlab::testing::run_shell;

namespace {

const std::string kCli = VETHLAB_CLI;
const std::string kExamples = std::string(VETHLAB_SOURCE_DIR) + "/examples/";

std::string cli(const std::string& args) { return kCli + " " + args; }

// A file in a fresh temporary folder, removed with the object.
struct TempFile {
    std::string dir;
    std::string path;
    TempFile(const std::string& name, const std::string& text) {
        char tmpl[] = "/tmp/vethlab-cli-XXXXXX";
        dir = mkdtemp(tmpl);
        path = dir + "/" + name;
        std::ofstream(path) << text;
    }
    ~TempFile() { run_shell("rm -rf '" + dir + "'"); }
};

}  // namespace

TEST_CASE("cli: usage errors exit 2, --help exits 0", "[cli]") {
    CHECK(run_shell(cli("")).status == 2);
    CHECK(run_shell(cli("frobnicate")).status == 2);
    CHECK(run_shell(cli("export " + kExamples + "seed.sh --to bogus")).status == 2);
    auto help = run_shell(cli("--help"));
    CHECK(help.status == 0);
    CHECK(help.out.find("check") != std::string::npos);
    CHECK(run_shell(cli("check --help")).status == 0);
}

TEST_CASE("cli: check accepts every bundled example", "[cli]") {
    for (const char* name : {"seed.sh", "seed.yaml", "mesh3.sh", "mesh3.yaml", "router-line.sh", "router-line.yaml"}) {
        INFO(name);
        auto r = run_shell(cli("check " + kExamples + name));
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(r.out.find(": ok: ") != std::string::npos);
    }
}

TEST_CASE("cli: check reports file:line:col, prints nothing on stdout, exits 1", "[cli]") {
    TempFile bad("bad.sh",
                 "ip netns add ns0\n"
                 "ip -n ns0 link add veth0 type veth peer name veth1\n"
                 "ip -n ns0 lnk set veth0 up\n"
                 "ip -n ns0 route add 10.9.0.0/24 via 10.0.0.1\n");
    auto r = run_shell(cli("check " + bad.path));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find(bad.path + ":3:") != std::string::npos);
    SECTION("kernel refusals are reported with the kernel's words at the command's position") {
        TempFile refused("refused.sh",
                         "ip netns add ns0\n"
                         "ip -n ns0 link add veth0 type veth peer name veth1\n"
                         "  ip -n ns0 route add 10.9.0.0/24 via 10.0.0.1\n");
        auto k = run_shell(cli("check " + refused.path));
        CHECK(k.status == 1);
        CHECK(k.err == refused.path + ":3:3: the kernel would refuse 'ip -n ns0 route add 10.9.0.0/24 via 10.0.0.1': "
                                      "Error: Nexthop has invalid gateway.\n");
    }
    SECTION("--json puts the errors on stdout") {
        auto j = run_shell(cli("check --json " + bad.path));
        CHECK(j.status == 1);
        CHECK(j.out.find("\"line\": 3") != std::string::npos);
    }
}

TEST_CASE("cli: a missing file is an error, not a crash", "[cli]") {
    auto r = run_shell(cli("check /nonexistent/x.yaml"));
    CHECK(r.status == 1);
    CHECK(r.err.find("/nonexistent/x.yaml: cannot open file") != std::string::npos);
}

TEST_CASE("cli: import -> export --to ip -> import gives the same YAML", "[cli]") {
    for (const char* name : {"seed.sh", "mesh3.sh", "router-line.sh"}) {
        INFO(name);
        auto yaml1 = run_shell(cli("import " + kExamples + name));
        REQUIRE(yaml1.status == 0);
        TempFile y("t.yaml", yaml1.out);
        auto script = run_shell(cli("export --to ip " + y.path));
        REQUIRE(script.status == 0);
        TempFile s("t.sh", script.out);
        auto yaml2 = run_shell(cli("import " + s.path));
        REQUIRE(yaml2.status == 0);
        CHECK(yaml2.out == yaml1.out);
    }
}

TEST_CASE("cli: show and export print the topology", "[cli]") {
    auto show = run_shell(cli("show " + kExamples + "seed.sh"));
    CHECK(show.status == 0);
    CHECK(show.out.find("ns0:veth0 -- ns1:veth1") != std::string::npos);
    CHECK(show.out.find("10.0.0.0/24 dev veth0") != std::string::npos);
    auto dot = run_shell(cli("export --to dot " + kExamples + "mesh3.yaml"));
    CHECK(dot.status == 0);
    CHECK(dot.out.rfind("graph ", 0) == 0);
    auto json = run_shell(cli("show --json " + kExamples + "seed.yaml"));
    CHECK(json.status == 0);
    CHECK(json.out.find("\"veths\"") != std::string::npos);
}
