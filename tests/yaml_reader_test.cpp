// The YAML topology reader: canonical edit order, locations, and every validation error.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "model/ip_script.hpp"
#include "model/netstate.hpp"
#include "model/yaml_reader.hpp"

using namespace vethlab;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string example(const char* name) { return read_file(std::string(VETHLAB_SOURCE_DIR) + "/examples/" + name); }

Parsed parse(const std::string& text) { return parse_yaml_topology(text, "t.yaml"); }

// The errors as "line:col: message", one per line.
std::string errors_of(const std::string& text) {
    std::string out;
    for (const auto& d : parse(text).errors)
        out += std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " + d.message + "\n";
    return out;
}

template <class T>
const T& op(const Parsed& p, size_t i) {
    REQUIRE(i < p.topology.edits.size());
    const T* e = std::get_if<T>(&p.topology.edits[i].op);
    INFO("edit " << i << ": " << p.topology.edits[i].text);
    REQUIRE(e);
    return *e;
}

std::string where(const Parsed& p, size_t i) { return p.topology.edits.at(i).loc.str(); }

LinkAdd link_add(const char* ns, const char* name, LinkKind kind) {
    LinkAdd e;
    e.ns = ns;
    e.name = name;
    e.kind = kind;
    return e;
}

LinkAdd veth_add(const char* a_ns, const char* a, const char* b_ns, const char* b) {
    LinkAdd e = link_add("", a, LinkKind::veth);
    e.netns = a_ns;
    e.peer = b;
    e.peer_netns = b_ns;
    return e;
}

LinkSet set_up(const std::string& ns, const std::string& name) {
    LinkSet e;
    e.ns = ns;
    e.name = name;
    e.up = true;
    return e;
}

// Apply every edit; return the refusals as "text: error".
std::string refusals(const Parsed& p) {
    NetState st;
    std::string out;
    for (const auto& e : p.topology.edits)
        if (auto err = st.apply(e.op)) out += e.text + ": " + *err + "\n";
    return out;
}

}  // namespace

TEST_CASE("addresses and link ups come namespace by namespace: lo, links, then veth ends in file order", "[yaml]") {
    const Parsed p = parse(R"(namespaces:
  n0: {lo: up}
  n1: {links: {d1: {kind: dummy, addresses: [10.9.0.1/24]}}}
  n2: {}
veths:
  - n0:a 10.0.0.1/30 -- n1:b 10.0.0.2/30
  - n1:c 10.0.0.5/30 -- n2:d 10.0.0.6/30
  - n2:e 10.0.0.9/30 -- n2:f 10.0.0.10/30
  - n2:h 10.0.0.13/30 -- n0:g 10.0.0.14/30
)");
    REQUIRE(p.ok());
    std::string addrs, ups;
    for (const auto& e : p.topology.edits) {
        if (const auto* a = std::get_if<AddrAdd>(&e.op)) addrs += a->ns + ":" + a->dev + " ";
        if (const auto* s = std::get_if<LinkSet>(&e.op); s && s->up) ups += s->ns + ":" + s->name + " ";
    }
    CHECK(addrs == "n0:a n0:g n1:d1 n1:b n1:c n2:d n2:e n2:f n2:h ");
    CHECK(ups == "n0:lo n0:a n0:g n1:d1 n1:b n1:c n2:d n2:e n2:f n2:h ");
}

TEST_CASE("every example parses and builds without a refusal", "[yaml]") {
    for (const char* name : {"seed.yaml", "mesh3.yaml", "router-line.yaml"}) {
        INFO(name);
        const Parsed p = parse_yaml_topology(example(name), name);
        for (const auto& d : p.errors) FAIL_CHECK(d.str());
        CHECK(!p.topology.edits.empty());
        CHECK(refusals(p) == "");
    }
}

TEST_CASE("the seed example compiles to the canonical order, addresses and link state namespace by namespace",
          "[yaml]") {
    const Parsed p = parse_yaml_topology(example("seed.yaml"), "seed.yaml");
    REQUIRE(p.ok());
    CHECK(op<NetnsAdd>(p, 0).name == "ns0");
    CHECK(op<NetnsAdd>(p, 1).name == "ns1");
    CHECK(op<LinkAdd>(p, 2) == link_add("ns0", "tap0", LinkKind::tap));
    CHECK(op<LinkAdd>(p, 3) == link_add("ns1", "tap1", LinkKind::tap));
    CHECK(op<LinkAdd>(p, 4) == veth_add("ns0", "veth0", "ns1", "veth1"));
    CHECK(op<AddrAdd>(p, 5) == AddrAdd{"ns0", "tap0", IfAddr::parse("10.0.0.1/24").value()});
    CHECK(op<AddrAdd>(p, 6) == AddrAdd{"ns1", "tap1", IfAddr::parse("10.0.0.2/24").value()});
    const std::vector<std::pair<std::string, std::string>> ups{
        {"ns0", "lo"}, {"ns0", "tap0"}, {"ns0", "veth0"}, {"ns1", "lo"}, {"ns1", "tap1"}, {"ns1", "veth1"}};
    for (size_t i = 0; i < ups.size(); ++i)
        CHECK(op<LinkSet>(p, 7 + i) == set_up(ups[i].first, ups[i].second));
    CHECK(op<Ping>(p, 13).ns == "ns0");
    CHECK(op<RouteEdit>(p, 17).op == RouteOp::change);
    CHECK(p.topology.edits.size() == 23);
    CHECK(where(p, 0) == "seed.yaml:9:3");    // ns0:
    CHECK(where(p, 2) == "seed.yaml:12:7");   // tap0:
    CHECK(where(p, 4) == "seed.yaml:18:5");   // the veth line
    CHECK(where(p, 5) == "seed.yaml:12:37");  // 10.0.0.1/24
    CHECK(where(p, 7) == "seed.yaml:10:9");   // lo: up
    CHECK(where(p, 13) == "seed.yaml:20:5");  // the first step
}

TEST_CASE("a veth line: ends, addresses and their columns", "[yaml]") {
    const Parsed p = parse("namespaces: [a, b]\n"
                           "veths:\n"
                           "  - a:v0 10.0.0.1/24 10.0.1.1/24 -- b:v1 10.0.0.2/24\n"
                           "  - \"a:v2 -- b:v3 10.9.0.2/24\"\n");
    REQUIRE(p.ok());
    CHECK(op<LinkAdd>(p, 2) == veth_add("a", "v0", "b", "v1"));
    CHECK(op<LinkAdd>(p, 3).name == "v2");
    CHECK(op<AddrAdd>(p, 4).addr.str() == "10.0.0.1/24");
    CHECK(where(p, 4) == "t.yaml:3:10");
    CHECK(where(p, 5) == "t.yaml:3:22");
    CHECK(op<AddrAdd>(p, 6) == AddrAdd{"b", "v1", IfAddr::parse("10.0.0.2/24").value()});
    CHECK(where(p, 6) == "t.yaml:3:42");
    CHECK(where(p, 7) == "t.yaml:4:19");  // inside quotes
    CHECK(op<LinkSet>(p, 8) == set_up("a", "v0"));
    CHECK(p.topology.edits.size() == 12);  // 2 netns, 2 veths, 4 addresses, 4 ups (lo stays down)
}

TEST_CASE("a veth map: per-end settings, pair mtu and up", "[yaml]") {
    const Parsed p = parse("namespaces: [a, b]\n"
                           "veths:\n"
                           "  - a: {end: a:v0, mac: 02:00:00:00:00:0a, addresses: [10.0.0.1/24], up: true}\n"
                           "    b: b:v1 10.0.0.2/24\n"
                           "    mtu: 9000\n"
                           "    up: false\n"
                           "  - {a: a:v2, b: {end: b:v3, mtu: 1400}}\n");
    REQUIRE(p.ok());
    const LinkAdd& first = op<LinkAdd>(p, 2);
    CHECK(first.mac == Mac::parse("02:00:00:00:00:0a").value());
    CHECK(first.mtu == 9000u);
    CHECK(first.peer_mtu == 9000u);
    const LinkAdd& second = op<LinkAdd>(p, 3);
    CHECK(second.mtu == 1500u);  // an end without mtu has 1500
    CHECK(second.peer_mtu == 1400u);
    // up: only a:v0 (its own up: true wins over the pair's up: false), a:v2, b:v3
    CHECK(op<LinkSet>(p, 6) == set_up("a", "v0"));
    CHECK(op<LinkSet>(p, 7).name == "v2");
    CHECK(op<LinkSet>(p, 8).name == "v3");
    CHECK(p.topology.edits.size() == 9);
    CHECK(refusals(p) == "");
}

TEST_CASE("links, lo, routes and sysctls of a namespace", "[yaml]") {
    const Parsed p = parse("namespaces:\n"
                           "  r:\n"
                           "    lo: {up: true, addresses: [127.0.0.1/8, 10.255.0.1/32]}\n"
                           "    links:\n"
                           "      d0: dummy\n"
                           "      t0: {kind: tap, mtu: 9000, addresses: 10.0.0.1/24, up: no}\n"
                           "    routes:\n"
                           "      - 10.1.0.0/16 dev d0\n"
                           "      - {to: default, via: 10.1.0.1, metric: 100}\n"
                           "      - {type: blackhole, to: 192.168.0.0/16}\n"
                           "    sysctl: {net/ipv4/ip_forward: 1, net.ipv4.conf.all.rp_filter: 2}\n");
    REQUIRE(p.ok());
    CHECK(op<LinkAdd>(p, 1) == link_add("r", "d0", LinkKind::dummy));
    CHECK(op<LinkAdd>(p, 2).name == "t0");
    CHECK(op<LinkAdd>(p, 2).mtu == 9000u);
    CHECK(op<AddrAdd>(p, 3).dev == "lo");
    CHECK(op<AddrAdd>(p, 5).dev == "t0");
    CHECK(op<LinkSet>(p, 6).name == "lo");
    CHECK(op<LinkSet>(p, 7).name == "d0");
    const RouteEdit& r0 = op<RouteEdit>(p, 8);
    CHECK(r0.op == RouteOp::replace);
    CHECK(r0.route == parse_route_spec({"10.1.0.0/16", "dev", "d0"}).value());
    CHECK(op<RouteEdit>(p, 9).route == parse_route_spec({"default", "via", "10.1.0.1", "metric", "100"}).value());
    CHECK(op<RouteEdit>(p, 10).route == parse_route_spec({"blackhole", "192.168.0.0/16"}).value());
    CHECK(op<SysctlSet>(p, 11) == SysctlSet{"r", "net.ipv4.ip_forward", "1"});
    CHECK(op<SysctlSet>(p, 12) == SysctlSet{"r", "net.ipv4.conf.all.rp_filter", "2"});
    CHECK(p.topology.edits.size() == 13);
    CHECK(refusals(p) == "");
}

TEST_CASE("steps keep their order and columns", "[yaml]") {
    const Parsed p = parse("namespaces: {ns0: {}}\n"
                           "steps:\n"
                           "  - ip -n ns0 link set lo up\n"
                           "  - \"ip netns exec ns0 ping -c 1 127.0.0.1\"\n");
    REQUIRE(p.ok());
    CHECK(op<LinkSet>(p, 1) == set_up("ns0", "lo"));
    CHECK(where(p, 1) == "t.yaml:3:5");
    CHECK(op<Ping>(p, 2).count == 1);
    CHECK(where(p, 2) == "t.yaml:4:6");
    CHECK(p.topology.edits[2].text == "ip netns exec ns0 ping -c 1 127.0.0.1");
}

TEST_CASE("empty input is an empty topology", "[yaml]") {
    CHECK(parse("").ok());
    CHECK(parse("# nothing\n").topology.edits.empty());
    CHECK(parse("namespaces: {}\n").ok());
}

TEST_CASE("errors: syntax, keys and types", "[yaml]") {
    CHECK(errors_of("namespaces: [a, b\nveths: []\n") == "2:6: did not find expected ',' or ']' (while parsing a flow sequence that starts at 1:13)\n");
    CHECK(errors_of("namespaces:\n  ns0:\n    links:\n      tap0: {kind: tap, adresses: [10.0.0.1/24]}\n") ==
          "4:25: unknown key 'adresses' in link 'tap0'; did you mean 'addresses'?\n");
    CHECK(errors_of("namespaces: {ns0: {rotues: []}}\nvethz: []\n") ==
          "1:20: unknown key 'rotues' in namespace 'ns0'; did you mean 'routes'?\n"
          "2:1: unknown key 'vethz' in the topology; did you mean 'veths'?\n");
    CHECK(errors_of("colour: blue\n") ==
          "1:1: unknown key 'colour' in the topology (expected namespaces, veths, steps)\n");
    CHECK(errors_of("namespaces: {a: {links: {t: {kind: tap, mtu: big, up: maybe, addresses: {x: 1}}}}}\n") ==
          "1:46: 'mtu' of link 't' must be a number (0..4294967295), not 'big'\n"
          "1:55: 'up' of link 't' must be true or false, not 'maybe'\n"
          "1:73: 'addresses' of link 't' must be a list, not a map\n");
    CHECK(errors_of("- a\n") == "1:1: the topology must be a map, not a list\n");
    CHECK(errors_of("namespaces: {a: {}, a: {}}\n") ==
          "1:21: key 'a' is given twice in 'namespaces'; first at t.yaml:1:14\n");
    CHECK(errors_of("namespaces: [a, a]\n") == "1:17: namespace 'a' is declared twice; first at t.yaml:1:14\n");
    CHECK(errors_of("namespaces: {}\n---\nnamespaces: {}\n") ==
          "3:1: a topology file holds one YAML document; found another\n");
    CHECK(errors_of("steps: [{ping: x}]\n") == "1:9: each of 'steps' must be a string, not a map\n");
}

TEST_CASE("errors and edits name the file, though the declaration holds only line:col", "[yaml]") {
    const Parsed bad = parse("namespaces: [a]\nveths:\n  - a:v0 10.0.0.1/24 -- a:v0\n  - a:v1 -- z:v1\n");
    REQUIRE(bad.errors.size() == 2);
    CHECK(bad.errors[0].str() == "t.yaml:3:25: interface 'v0' is defined twice in namespace 'a'; first at t.yaml:3:5");
    CHECK(bad.errors[1].loc == SourceLoc{"t.yaml", 4, 13});
    const Parsed good =
        parse("namespaces: [a, b]\nveths:\n  - a:v0 10.0.0.1/24 -- b:v0\nsteps:\n  - ip -n a link set v0 mtu x\n");
    REQUIRE(good.errors.size() == 1);
    CHECK(good.errors[0].loc.file == "t.yaml");
    CHECK(good.errors[0].loc.line == 5);
}

TEST_CASE("errors: links and veths", "[yaml]") {
    CHECK(errors_of("namespaces: {a: {links: {t: {up: true}, u: {kind: tun}, v: {kind: veth}}}}\n") ==
          "1:26: link 't' needs a kind: tap, dummy or bridge (veths go under 'veths')\n"
          "1:51: unknown link kind 'tun' (kinds: tap, dummy, bridge)\n"
          "1:67: veths are declared under 'veths', both ends at once\n");
    CHECK(errors_of("namespaces: {a: {links: {a-very-long-name0: dummy, lo: dummy}}}\n") ==
          "1:26: interface name 'a-very-long-name0' is 17 bytes; Linux allows 15\n"
          "1:52: 'lo' exists in every namespace; set it up with 'lo: up' in namespace 'a'\n");
    CHECK(errors_of("namespaces:\n  a:\n    links: {v0: dummy}\n  b: {}\n"
                    "veths:\n  - a:v0 -- b:v0\n  - a:v1 -- c:v1\n  - b:v2 -- b:v2\n") ==
          "6:5: interface 'v0' is defined twice in namespace 'a'; first at t.yaml:3:13\n"
          "7:13: namespace 'c' of veth end 'c:v1' is not declared under 'namespaces'\n"
          "8:13: interface 'v2' is defined twice in namespace 'b'; first at t.yaml:8:5\n");
    CHECK(errors_of("namespaces: [a, b]\nveths:\n  - a:v0 10.0.0.1/24 b:v1\n  - a:v2 -- v3\n"
                    "  - a:v4 10.0.0.300/24 -- b:v4 10.0.0.1/24 10.0.0.1/24\n  - {a: a:v5}\n") ==
          "3:5: veth 'a:v0 10.0.0.1/24 b:v1' must read NS:IF [ADDRESS...] -- NS:IF [ADDRESS...]\n"
          "4:13: veth end 'v3' must be NAMESPACE:INTERFACE, e.g. ns0:veth0\n"
          "5:10: invalid IPv4 address '10.0.0.300': 300 is not an octet (0..255)\n"
          "5:44: address 10.0.0.1/24 is given twice on 'v4' in namespace 'b'; first at t.yaml:5:32\n"
          "6:5: a veth needs both ends: 'a' and 'b'\n");
    CHECK(errors_of("namespaces: {a: {lo: sideways}}\n") ==
          "1:22: 'lo' of namespace 'a' must be up, down or a map with up and addresses\n");
    CHECK(errors_of("namespaces: {a: {links: {t: {kind: tap, mac: 01:00:5e:00:00:01}}}}\n") ==
          "1:46: MAC address '01:00:5e:00:00:01' is multicast: Cannot assign requested address\n");
}

TEST_CASE("errors: names, routes, sysctls and steps", "[yaml]") {
    CHECK(errors_of("namespaces: {\"..\": {}}\n") == "1:15: Invalid netns name \"..\"\n");
    const std::string routes = errors_of("namespaces:\n  a:\n    routes:\n      - 10.0.0.0/24 dev lo\n"
                                         "      - {to: 10.0.0.0/24, via: 10.9.9.9}\n      - {via: 10.9.9.9}\n"
                                         "      - 10.0.0.1/24 dev lo\n");
    CHECK(routes.starts_with(
        "5:9: route to 10.0.0.0/24 (table main, metric 0) is given twice in namespace 'a'; first at t.yaml:4:9\n"
        "6:9: a route needs 'to: PREFIX' (or 'to: default')\n"
        "7:9: route '10.0.0.1/24 dev lo': "));
    CHECK(errors_of("namespaces: {a: {sysctl: {net.ipv4.ip_forward: 1, net/ipv4/ip_forward: 0}}}\n") ==
          "1:51: sysctl 'net.ipv4.ip_forward' is set twice in namespace 'a'; first at t.yaml:1:27\n");
    const auto steps = parse("namespaces: [a]\nsteps:\n  - ip -n a link sett lo up\n  - echo hello\n").errors;
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].loc.line == 3);
    CHECK(steps[1].loc.line == 4);
}

TEST_CASE("all errors are reported, not just the first", "[yaml]") {
    const Parsed p = parse("namespaces:\n  a: {links: {t: {kind: tap, adresses: []}}}\n  b: {lo: up, mtu: 3}\n"
                           "veths: [a:x -- c:y, a:toolongname012345 -- b:z]\n");
    CHECK(p.errors.size() == 4);
}

TEST_CASE("random mutations of the examples never crash the reader", "[yaml]") {
    std::mt19937 rng(20240611);
    const std::string alphabet = " \n\t:-{}[],#&*!|>'\"%@`?0123456789abcdefxyz./\\";
    for (const char* name : {"seed.yaml", "mesh3.yaml", "router-line.yaml"}) {
        const std::string original = example(name);
        for (int round = 0; round < 700; ++round) {
            std::string text = original;
            const int edits = 1 + int(rng() % 6);
            for (int i = 0; i < edits && !text.empty(); ++i) {
                const size_t at = rng() % text.size();
                switch (rng() % 4) {
                    case 0: text.erase(at, 1 + rng() % 8); break;
                    case 1: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                    case 2: text[at] = alphabet[rng() % alphabet.size()]; break;
                    default: text.insert(at, text.substr(rng() % text.size(), rng() % 40)); break;
                }
            }
            INFO(text);
            Parsed p;
            REQUIRE_NOTHROW(p = parse_yaml_topology(text, name));
            for (const auto& d : p.errors) REQUIRE(!d.message.empty());
        }
    }
}

TEST_CASE("errors: broadcast addresses", "[yaml]") {
    const std::string head = "namespaces:\n  a:\n    links:\n      d0: {kind: dummy, addresses: [";
    CHECK(errors_of(head + "10.0.0.1/24 brd]}\n") == "4:37: 'brd' needs a value: an address, '+' or '-'\n");
    CHECK(errors_of(head + "10.0.0.1/24 peer 10.0.0.2]}\n") ==
          "4:37: unexpected 'peer' after the address (only 'brd X' may follow)\n");
    CHECK(errors_of(head + "10.0.0.1/24 brd 10.0.0.256]}\n") ==
          "4:37: invalid broadcast '10.0.0.256' (an IPv4 address, '+' or '-')\n");
    CHECK(errors_of(head + "10.0.0.1/24 brd +]}\n").empty());
}
