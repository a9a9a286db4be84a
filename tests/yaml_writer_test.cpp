// The YAML writer: scripts described declaratively, checked, stable on a round trip.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/yaml_emit.hpp"
#include "model/yaml_reader.hpp"
#include "model/yaml_writer.hpp"

using namespace vethlab;

namespace {

std::string example(const char* name) {
    std::ifstream in(std::string(VETHLAB_SOURCE_DIR) + "/examples/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Topology script(const std::string& text) {
    Parsed p = parse_ip_script(text, "s.sh");
    for (const auto& d : p.errors) FAIL_CHECK(d.str());
    return p.topology;
}

Topology from_yaml(const std::string& text) {
    Parsed p = parse_yaml_topology(text, "t.yaml");
    for (const auto& d : p.errors) FAIL_CHECK(d.str());
    return p.topology;
}

// The state after the edits before the first observation (or after all of them).
NetState build(const Topology& t, bool all = false) {
    NetState st;
    for (const auto& e : t.edits) {
        if (!all && e.is_observation()) break;
        st.apply(e.op);
    }
    return st;
}

bool same(const Topology& a, const Topology& b, bool all = false) {
    return yaml::same_state(build(a, all), build(b, all), {});
}

// write(parse(write(t))) == write(t), and the text reads back without an error.
std::string stable_write(const Topology& t) {
    const std::string once = write_yaml_topology(t);
    const std::string twice = write_yaml_topology(from_yaml(once));
    CHECK(once == twice);
    return once;
}

const char* kSeedScript = R"(# the seed article
ip netns add ns0
ip netns add ns1
ip tuntap add dev tap0 mode tap
ip tuntap add dev tap1 mode tap
ip link set tap0 netns ns0
ip link set tap1 netns ns1
ip netns exec ns0 ip link set lo up
ip netns exec ns1 ip link set lo up
ip netns exec ns0 ip addr add 10.0.0.1/24 dev tap0
ip netns exec ns1 ip addr add 10.0.0.2/24 dev tap1
ip netns exec ns0 ip link set tap0 up
ip netns exec ns1 ip link set tap1 up
ip link add veth0 type veth peer name veth1
ip link set veth0 netns ns0
ip link set veth1 netns ns1
ip netns exec ns0 ip link set veth0 up
ip netns exec ns1 ip link set veth1 up
ip netns exec ns0 ping -c 3 10.0.0.2
ip netns exec ns0 route -n
ip netns exec ns0 ip route change 10.0.0.0/24 via 0.0.0.0 dev veth0
ip netns exec ns1 ip route change 10.0.0.0/24 via 0.0.0.0 dev veth1
ip netns exec ns0 ping -c 3 10.0.0.2
)";

const char* kSeedDescription = R"(namespaces:
  ns0:
    lo: up
    links:
      tap0: {kind: tap, addresses: [10.0.0.1/24]}
  ns1:
    lo: up
    links:
      tap1: {kind: tap, addresses: [10.0.0.2/24]}
veths:
  - ns0:veth0 -- ns1:veth1
steps:
)";

const char* kRouterScript = R"(ip netns add host-a
ip netns add router
ip netns add host-b
ip link add eth0 netns host-a type veth peer name eth-a netns router
ip link add eth0 netns host-b type veth peer name eth-b netns router
for_each_ns_lo_up_below
ip -n host-a addr add 10.0.1.2/24 dev eth0
ip -n router addr add 10.0.1.1/24 dev eth-a
ip -n host-b addr add 10.0.2.2/24 dev eth0
ip -n router addr add 10.0.2.1/24 dev eth-b
ip -n host-a link set eth0 up
ip -n router link set eth-a up
ip -n host-b link set eth0 up
ip -n router link set eth-b up
ip netns exec router sysctl -w net.ipv4.ip_forward=1
ip -n host-a route add 10.0.2.0/24 via 10.0.1.1
ip -n host-b route add 10.0.1.0/24 via 10.0.2.1
ip netns exec host-a ping -c 3 10.0.2.2
)";

std::string router_script() {
    std::string s = kRouterScript;
    const std::string lo = "ip -n host-a link set lo up\nip -n router link set lo up\nip -n host-b link set lo up";
    s.replace(s.find("for_each_ns_lo_up_below"), std::string("for_each_ns_lo_up_below").size(), lo);
    return s;
}

}  // namespace

TEST_CASE("the seed script is written as the seed description plus steps", "[yaml]") {
    const Topology t = script(kSeedScript);
    const std::string out = stable_write(t);
    REQUIRE(out.starts_with(kSeedDescription));
    std::string steps;
    size_t k = 0;
    while (!t.edits.at(k).is_observation()) ++k;
    CHECK(k == 17);
    for (size_t i = k; i < t.edits.size(); ++i) steps += "  - " + yaml::yaml_scalar(format_command(t.edits[i].op)) + "\n";
    CHECK(out.substr(std::string(kSeedDescription).size()) == steps);
    CHECK(same(from_yaml(out), t, true));
}

TEST_CASE("a YAML file and the equivalent ip script build the same state", "[yaml]") {
    CHECK(same(from_yaml(example("seed.yaml")), script(kSeedScript)));
    CHECK(same(from_yaml(example("router-line.yaml")), script(router_script())));
    CHECK(same(from_yaml(example("router-line.yaml")), script(router_script()), true));
    // and the seed's own steps lead to the same final state as the script's
    const Topology seed = from_yaml(example("seed.yaml"));
    CHECK(same(seed, script(kSeedScript), true));
}

TEST_CASE("the examples survive a round trip through the writer", "[yaml]") {
    for (const char* name : {"seed.yaml", "mesh3.yaml", "router-line.yaml"}) {
        INFO(name);
        const Topology t = from_yaml(example(name));
        const std::string out = stable_write(t);
        CHECK(!out.starts_with("steps:"));  // described, not replayed
        CHECK(same(from_yaml(out), t, true));
    }
    CHECK(stable_write(script(router_script())).starts_with("namespaces:\n  host-a:\n    lo: up\n    routes:\n"
                                                            "      - 10.0.2.0/24 via 10.0.1.1 dev eth0\n"));
}

TEST_CASE("what the declarative form cannot say falls back to steps", "[yaml]") {
    const char* deleted_kernel_route = "ip netns add a\nip -n a link add d0 type dummy\n"
                                       "ip -n a addr add 10.0.0.1/24 dev d0\nip -n a link set d0 up\n"
                                       "ip -n a route del 10.0.0.0/24 dev d0\nip -n a route\n";
    const char* host_leftover = "ip netns add b\nip link add veth0 type veth peer name veth1\n"
                                "ip link set veth1 netns b\n";
    for (const char* text : {deleted_kernel_route, host_leftover}) {
        const Topology t = script(text);
        const std::string out = stable_write(t);
        CHECK(out.starts_with("steps:\n  - ip netns add "));
        CHECK(from_yaml(out).edits.size() == t.edits.size());
        CHECK(same(from_yaml(out), t, true));
    }
}

TEST_CASE("links beyond the defaults: mtu, explicit MACs, down ends", "[yaml]") {
    const Topology t = script("ip netns add a\nip netns add b\n"
                              "ip -n a link add d0 address 02:00:00:00:aa:01 type dummy\n"
                              "ip -n a link add d1 mtu 9000 type dummy\n"
                              "ip -n a link add v0 type veth peer name v1 netns b\n"
                              "ip -n a link set v0 mtu 1400\n"
                              "ip -n a link set d0 up\nip -n b link set v1 up\n"
                              "ip -n b addr add 10.0.0.2/24 dev v1\n");
    const std::string out = stable_write(t);
    CHECK(out == "namespaces:\n"
                 "  a:\n"
                 "    links:\n"
                 "      d0: {kind: dummy, mac: 02:00:00:00:aa:01}\n"
                 "      d1: {kind: dummy, mtu: 9000, up: false}\n"
                 "  b: {}\n"
                 "veths:\n"
                 "  - a: {end: a:v0, mtu: 1400, up: false}\n"
                 "    b: b:v1 10.0.0.2/24\n");
    CHECK(same(from_yaml(out), t));
}

TEST_CASE("sysctls: namespace keys and the device values the build would miss", "[yaml]") {
    const Topology t = script("ip netns add r\n"
                              "ip netns exec r sysctl -w net.ipv4.conf.default.rp_filter=2\n"
                              "ip -n r link add d0 type dummy\n"
                              "ip netns exec r sysctl -w net.ipv4.ip_forward=1\n"
                              "ip netns exec r sysctl -w net.ipv4.conf.d0.arp_ignore=1\n");
    const std::string out = stable_write(t);
    CHECK(out == "namespaces:\n"
                 "  r:\n"
                 "    links:\n"
                 "      d0: {kind: dummy, up: false}\n"
                 "    sysctl:\n"
                 "      net.ipv4.ip_forward: 1\n"
                 "      net.ipv4.conf.default.rp_filter: 2\n"
                 "      net.ipv4.conf.d0.arp_ignore: 1\n");  // d0 follows conf.default's rp_filter
    CHECK(same(from_yaml(out), t));
}

TEST_CASE("routes the user made, lo addresses, a refused command and what follows stay steps", "[yaml]") {
    const Topology t = script("ip netns add a\nip -n a link set lo up\n"
                              "ip -n a addr add 10.255.0.1/32 dev lo\n"
                              "ip -n a link add d0 type dummy\nip -n a link set d0 up\n"
                              "ip -n a addr add 10.0.0.1/24 dev d0\n"
                              "ip -n a route add 10.9.0.0/16 dev d0\n"
                              "ip -n a route add default via 10.9.0.1 metric 10\n"
                              "ip -n a route add 10.5.0.0/16 via 10.0.0.5 table 100\n"
                              "ip -n a route change 10.0.0.0/24 via 0.0.0.0 dev d0\n"
                              "ip -n a route add blackhole 192.168.0.0/16\n"
                              "ip -n a route add 10.8.0.0/16 via 10.7.7.7\n"  // refused: gateway not on-link
                              "ip -n a route add 10.4.0.0/16 dev d0\n");
    const std::string out = stable_write(t);
    CHECK(out == "namespaces:\n"
                 "  a:\n"
                 "    lo: {up: true, addresses: [127.0.0.1/8, 10.255.0.1/32]}\n"
                 "    links:\n"
                 "      d0: {kind: dummy, addresses: [10.0.0.1/24]}\n"
                 "    routes:\n"
                 "      - 10.9.0.0/16 dev d0\n"
                 "      - default via 10.9.0.1 dev d0 metric 10\n"
                 "      - 10.5.0.0/16 via 10.0.0.5 dev d0 table 100\n"
                 "      - 10.0.0.0/24 dev d0 scope global\n"
                 "      - blackhole 192.168.0.0/16\n"
                 "steps:\n"
                 "  - ip -n a route add 10.8.0.0/16 via 10.7.7.7\n"
                 "  - ip -n a route add 10.4.0.0/16 dev d0\n");
}

TEST_CASE("names YAML would misread are quoted", "[yaml]") {
    Topology t;
    for (const char* ns : {"lab #1", "null", "x: y", "-dash", "yes", "tab\there", "q\"uote"})
        t.edits.push_back(Edit{NetnsAdd{ns}, {}, ""});
    const std::string out = stable_write(t);
    CHECK(out.find("  \"lab #1\": {}\n") != std::string::npos);
    CHECK(out.find("  \"null\": {}\n") != std::string::npos);
    CHECK(out.find("  yes: {}\n") != std::string::npos);
    CHECK(same(from_yaml(out), t));
}

TEST_CASE("an empty topology is written as no namespaces", "[yaml]") {
    CHECK(write_yaml_topology(Topology{}) == "namespaces: {}\n");
    CHECK(from_yaml("namespaces: {}\n").edits.empty());
}

TEST_CASE("broadcast addresses: written as 'brd X', read back, the same state", "[yaml]") {
    const Topology t = script("ip netns add a\nip netns add b\n"
                              "ip -n a link add v0 type veth peer name v1 netns b\n"
                              "ip -n a addr add 10.0.0.1/24 brd + dev v0\n"
                              "ip -n a addr add 10.1.0.1/24 dev v0\n"
                              "ip -n b addr add 10.0.0.2/24 dev v1\n"
                              "ip -n a link set v0 up\nip -n b link set v1 up\n");
    const std::string out = stable_write(t);
    CHECK(out == "namespaces:\n"
                 "  a: {}\n"
                 "  b: {}\n"
                 "veths:\n"
                 "  - a: {end: a:v0, addresses: [10.0.0.1/24 brd 10.0.0.255, 10.1.0.1/24]}\n"
                 "    b: b:v1 10.0.0.2/24\n");
    CHECK(same(from_yaml(out), t));
    CHECK(same(from_yaml("namespaces: {a: {}, b: {}}\n"
                         "veths:\n"
                         "  - a: {end: a:v0, addresses: [10.0.0.1/24 brd +, 10.1.0.1/24]}\n"
                         "    b: b:v1 10.0.0.2/24\n"),
               t));
}
