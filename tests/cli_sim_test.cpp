// The simulator commands as a user runs them: the seed article replayed, ping --explain,
// routes, reach.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

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

// A file in a fresh temporary folder, removed with the object.
struct TempFile {
    std::string dir;
    std::string path;
    TempFile(const std::string& name, const std::string& text) {
        char tmpl[] = "/tmp/vethlab-cli-sim-XXXXXX";
        dir = mkdtemp(tmpl);
        path = dir + "/" + name;
        std::ofstream(path) << text;
    }
    ~TempFile() { run_shell("rm -rf '" + dir + "'"); }
};

// a--b works; a--c does not: c's end is down, so a's ARP fails (host unreachable back
// through a's lo) and c has no route at all (connect fails).
const char* const kHalfBroken =
    "ip netns add a\nip netns add b\nip netns add c\n"
    "ip link add va netns a type veth peer name vb netns b\n"
    "ip -n a addr add 10.0.0.1/30 dev va\nip -n b addr add 10.0.0.2/30 dev vb\n"
    "ip -n a link set va up\nip -n b link set vb up\n"
    "ip link add vc netns a type veth peer name vd netns c\n"
    "ip -n a addr add 10.0.0.5/30 dev vc\nip -n c addr add 10.0.0.6/30 dev vd\n"
    "ip -n a link set vc up\nip -n a link set lo up\n";

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

TEST_CASE("cli reach --peers: a line per probe without a reply, then the count", "[cli][sim]") {
    TempFile f("half.sh", kHalfBroken);
    auto r = run_shell(kCli + " reach --peers " + f.path);
    REQUIRE(r.status == 0);
    CHECK(r.out ==
          "a -> 10.0.0.6 (c:vd): host-unreachable from 10.0.0.5\n"
          "c -> 10.0.0.5 (a:vc): no-route (connect: Network is unreachable)\n"
          "4 probes: 2 replies, 2 without\n");
    auto mesh = run_shell(kCli + " reach --peers " + kExamples + "mesh3.sh");
    CHECK(mesh.out == "6 probes: 6 replies, 0 without\n");
}

TEST_CASE("cli reach --json is written probe by probe exactly as the JSON library would", "[cli][sim]") {
    TempFile f("half.sh", kHalfBroken);
    for (const std::string flags : {" --json ", " --peers --json "}) {
        auto r = run_shell(kCli + " reach" + flags + f.path);
        REQUIRE(r.status == 0);
        const auto doc = nlohmann::json::parse(r.out);
        CHECK(doc.dump(2) + "\n" == r.out);
        REQUIRE(doc.is_array());
        bool found = false;
        for (const auto& p : doc)
            if (p["from"] == "a" && p["to"] == "10.0.0.6")
                found = p["outcome"] == "host-unreachable" && p["detail"] == "from 10.0.0.5" && p["target"] == "c:vd";
        CHECK(found);
    }
    TempFile empty("empty.sh", "ip netns add a\n");
    CHECK(run_shell(kCli + " reach --json " + empty.path).out == "[]\n");
}

TEST_CASE("cli reach: a syntax error anywhere runs nothing, refused edits are warnings", "[cli][sim]") {
    TempFile bad("bad.sh", std::string(kHalfBroken) + "ip lnk set va up\n");
    auto r = run_shell(kCli + " reach --peers " + bad.path);
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == bad.path + ":14:4: unknown command 'ip lnk'\n");
    TempFile refused("refused.sh", std::string(kHalfBroken) + "ip -n a addr add 10.0.0.1/30 dev va\n");
    auto w = run_shell(kCli + " reach --peers " + refused.path);
    CHECK(w.status == 0);
    CHECK(w.err == refused.path + ":14:1: warning: 'ip -n a addr add 10.0.0.1/30 dev va': Error: ipv4: Address already assigned.\n");
    CHECK(w.out.find("4 probes: 2 replies, 2 without") != std::string::npos);
}
