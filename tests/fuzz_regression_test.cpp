// Every input the fuzzers once failed on (tests/fuzz/regressions/<target>-<what>), run
// through the same entry point as the fuzz target (tests/fuzz/entry_points.hpp) in every
// normal build; plus what each of them must now answer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/entry_points.hpp"

using namespace vethlab;
namespace fs = std::filesystem;

namespace {

const fs::path kRegressions = fs::path(VETHLAB_SOURCE_DIR) / "tests" / "fuzz" / "regressions";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string regression(const std::string& name) { return read_file(kRegressions / name); }

std::string errors_of(const Parsed& p) {
    std::string out;
    for (const auto& d : p.errors) out += d.str() + "\n";
    return out;
}

}  // namespace

TEST_CASE("every fuzz regression input passes its target's entry point", "[fuzz]") {
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kRegressions)) {
        const std::string name = entry.path().filename().string();
        const std::string text = read_file(entry.path());
        INFO(name);
        int r = 0;
        if (name.starts_with("fuzz_yaml-")) r = fuzz::yaml(text);
        else if (name.starts_with("fuzz_ip_script-")) r = fuzz::ip_script(text);
        else if (name.starts_with("fuzz_values-")) r = fuzz::values(text);
        else if (name.starts_with("fuzz_sim-")) r = fuzz::sim(text);
        else FAIL("a regression input's name must start with its target, e.g. fuzz_yaml-");
        CHECK(r <= 0);
        ++seen;
    }
    CHECK(seen > 0);
}

// Found when the reader used yaml-cpp, whose LoadAll looped for ever on it (jbeder/yaml-cpp#1040).
TEST_CASE("fuzz_yaml: a lone ',' is one error, not an endless loop", "[fuzz]") {
    const Parsed p = parse_yaml_topology(regression("fuzz_yaml-lone-comma"), "t.yaml");
    CHECK(errors_of(p) == "t.yaml:1:1: did not find expected node content (while parsing a block node that starts at 1:1)\n");
}

// Found by reading run_ping while writing fuzz_sim, confirmed by it under UBSan: a
// float-to-int overflow (-i 0 -w 1: infinitely many probes), a signed overflow of virtual
// time (-i/-W 1e300) and a hang allocating 2^31 probe events (-c 2147483647). Now each is
// refused at the command, with the reason, and the simulator cuts any Ping built otherwise.
TEST_CASE("fuzz_sim: pings beyond the simulator's bounds are refused where they are written", "[fuzz]") {
    CHECK(errors_of(parse_ip_script(regression("fuzz_sim-ping-flood-until-deadline"), "t.sh")) ==
          "t.sh:3:17: 'ping' sending more than 100000 probes is not supported (-w with a tiny -i: give -c)\n");
    CHECK(errors_of(parse_ip_script(regression("fuzz_sim-ping-huge-count"), "t.sh")) ==
          "t.sh:3:17: 'ping' sending more than 100000 probes is not supported\n");
    CHECK(errors_of(parse_ip_script(regression("fuzz_sim-ping-huge-times"), "t.sh")) ==
          "t.sh:3:30: '-i' longer than a day is not supported, got '1e300'\n");
    CHECK(errors_of(parse_ip_script("ping -c 100000 -i 1 10.0.0.1\n", "t.sh")) ==
          "t.sh:1:1: 'ping' running longer than a day is not supported (-c times -i, plus -W)\n");
    CHECK(parse_ip_script("ping -c 100000 -i 0 10.0.0.1\nping -c 8640 -i 10 -W 1 10.0.0.1\n", "t.sh").ok());
}

TEST_CASE("the simulator cuts a Ping edit built beyond the parsers' bounds", "[fuzz]") {
    Topology topo;
    topo.edits.push_back({NetnsAdd{"a"}, {}, "ip netns add a"});
    LinkSet up;
    up.ns = "a";
    up.name = "lo";
    up.up = true;
    topo.edits.push_back({up, {}, "ip -n a link set lo up"});
    Ping ping;
    ping.ns = "a";
    ping.dst = Ipv4(127, 0, 0, 1);
    ping.interval = 0;
    ping.deadline = 1;  // a flood until the deadline: cut to kPingMaxProbes probes
    ping.timeout = 1e300;
    topo.edits.push_back({ping, {}, "ping"});
    const std::string out = sim::replay(topo, false);
    INFO(out.substr(0, 2000));
    CHECK(out.find("100000 packets transmitted") != std::string::npos);
}
