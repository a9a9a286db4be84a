// The simulator commands as a user runs them: the seed article replayed, ping --explain,
// routes, reach.
#include <catch2/catch.hpp>

#include "shell.hpp"

using vethlab::testing::run_shell;

namespace {

const std::string kCli = VETHLAB_CLI;
const std::string kExamples = std::string(VETHLAB_SOURCE_DIR) + "/examples/";

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += what.size()) ++n;
    return n;
}

}  // namespace

TEST_CASE("cli sim: the seed article replayed -- the ping fails, the route change fixes it", "[cli][sim]") {
    auto r = run_shell(kCli + " sim " + kExamples + "seed.sh");
    REQUIRE(r.status == 0);
    const auto first_ping = r.out.find("3 packets transmitted, 0 received, 100% packet loss");
    const auto tap_route = r.out.find("10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 tap0\n");
    const auto veth_route = r.out.find("10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 veth0\n");
    const auto fixed_ping = r.out.find("3 packets transmitted, 3 received, 0% packet loss");
    CHECK(first_ping != std::string::npos);
    CHECK(tap_route != std::string::npos);
    CHECK(veth_route != std::string::npos);
    CHECK(fixed_ping != std::string::npos);
    CHECK(first_ping < tap_route);
    CHECK(tap_route < veth_route);
    CHECK(veth_route < fixed_ping);
    CHECK(count(r.out, "ttl=64") == 6);
}

TEST_CASE("cli sim: the YAML seed, with lo up, prints the article's unreachable lines", "[cli][sim]") {
    auto r = run_shell(kCli + " sim " + kExamples + "seed.yaml");
    REQUIRE(r.status == 0);
    CHECK(r.out.find("From 10.0.0.1 icmp_seq=1 Destination Host Unreachable\n") != std::string::npos);
    CHECK(r.out.find("3 packets transmitted, 0 received, +3 errors, 100% packet loss") != std::string::npos);
    CHECK(r.out.find("3 received, 0% packet loss") != std::string::npos);
}

TEST_CASE("cli ping --explain says why a ping is silent", "[cli][sim]") {
    auto r = run_shell(kCli + " ping " + kExamples + "seed.sh ns0 10.0.0.2 -c 1 --explain");
    // After the whole seed script the route points at veth0: the ping works.
    CHECK(r.status == 0);
    CHECK(r.out.find("1 received") != std::string::npos);
    auto line = run_shell(kCli + " ping " + kExamples + "router-line.sh hosta 10.9.9.9 -c 1 --explain");
    CHECK(line.status == 1);
    INFO(line.out);
    CHECK(line.out.find("Why (simulated kernel") != std::string::npos);
    CHECK(line.out.find("hosta: route to 10.9.9.9: default via ") != std::string::npos);
}

TEST_CASE("cli routes prints route -n or ip route for a namespace", "[cli][sim]") {
    auto r = run_shell(kCli + " routes " + kExamples + "seed.sh ns0");
    CHECK(r.status == 0);
    CHECK(r.out.rfind("Kernel IP routing table\n", 0) == 0);
    auto ip = run_shell(kCli + " routes --ip " + kExamples + "seed.sh ns1");
    CHECK(ip.out == "10.0.0.0/24 dev veth1 \n");
    auto missing = run_shell(kCli + " routes " + kExamples + "seed.sh nope");
    CHECK(missing.status == 1);
    CHECK(missing.err == "Cannot open network namespace \"nope\": No such file or directory\n");
}

TEST_CASE("cli reach: every link of the three-namespace mesh answers", "[cli][sim]") {
    auto r = run_shell(kCli + " reach --peers --json " + kExamples + "mesh3.yaml");
    REQUIRE(r.status == 0);
    CHECK(count(r.out, "\"outcome\": \"reply\"") == 6);
    auto matrix = run_shell(kCli + " reach " + kExamples + "router-line.yaml");
    CHECK(matrix.status == 0);
    CHECK(matrix.out.find("r reply") != std::string::npos);
}
