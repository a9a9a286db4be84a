// Huge inputs (issue 8): a 100,000-line ip script and a 10,000-namespace YAML file are
// parsed, applied and checked in full, never refused for their size. Their time and
// memory through the CLI are in docs/reliability.md (tests/fuzz/huge_inputs.py writes them).
#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "model/yaml_reader.hpp"

using namespace vethlab;

namespace {

// 10.x.y.z/30 number i: the i-th /30 of 10.0.0.0/8.
std::string quad(int i, int host) {
    const unsigned v = (10u << 24) | (unsigned(i) * 4 + unsigned(host));
    return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255);
}

// 20,000 namespaces, each with a veth to the host, an address, a link up and a default route.
std::string huge_script(int namespaces) {
    std::string s = "#!/bin/bash\n";
    for (int i = 0; i < namespaces; ++i) {
        s += fmt::format("ip netns add n{}\n", i);
        s += fmt::format("ip link add eth0 netns n{0} type veth peer name h{0}\n", i);
        s += fmt::format("ip -n n{} addr add {}/30 dev eth0\n", i, quad(i, 1));
        s += fmt::format("ip -n n{} link set eth0 up\n", i);
        s += fmt::format("ip -n n{} route add default via {}\n", i, quad(i, 2));
    }
    return s;
}

// A chain of namespaces: n0 -- n1 -- ... each pair on its own /30, lo up everywhere.
std::string huge_yaml(int namespaces) {
    std::string s = "namespaces:\n";
    for (int i = 0; i < namespaces; ++i) s += fmt::format("  n{}: {{lo: up}}\n", i);
    s += "veths:\n";
    for (int i = 1; i < namespaces; ++i)
        s += fmt::format("  - n{}:r{} {}/30 -- n{}:l{} {}/30\n", i - 1, i, quad(i, 1), i, i - 1, quad(i, 2));
    return s;
}

}  // namespace

TEST_CASE("a 100,000-line ip script is parsed and applied in full", "[huge]") {
    const std::string text = huge_script(20000);
    const Parsed p = parse_ip_script(text, "huge.sh");
    INFO((p.errors.empty() ? std::string() : p.errors[0].str()));
    REQUIRE(p.ok());
    CHECK(p.topology.edits.size() == 100000);
    CHECK(p.topology.edits.back().loc.line == 100001);
    const Applied a = apply_all(p.topology);
    CHECK(a.errors.empty());
    CHECK(a.state.namespaces().size() == 20001);  // and the initial namespace
}

TEST_CASE("a 10,000-namespace YAML topology is parsed and applied in full", "[huge]") {
    const std::string text = huge_yaml(10000);
    const Parsed p = parse_yaml_topology(text, "huge.yaml");
    INFO((p.errors.empty() ? std::string() : p.errors[0].str()));
    REQUIRE(p.ok());
    const Applied a = apply_all(p.topology);
    CHECK(a.errors.empty());
    CHECK(a.state.namespaces().size() >= 10000);
}

TEST_CASE("errors in a 100,000-line script are each reported at their line", "[huge]") {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += i % 1000 == 999 ? "ip frobnicate\n" : "ip netns add n" + std::to_string(i) + "\n";
    const Parsed p = parse_ip_script(text, "huge.sh");
    REQUIRE(p.errors.size() == 100);
    CHECK(p.errors[0].loc.line == 1000);
    CHECK(p.errors[99].loc.line == 100000);
}
