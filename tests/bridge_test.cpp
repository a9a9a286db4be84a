// The Linux bridge without the kernel: the model's rules for masters (the kernel's
// messages, checked against it in kernel_bridge_test.cpp), the readers and writers, the
// simulator's forwarding database, and the backend's plan on the fake.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "backend/netlink_fake.hpp"
#include "backend/plan.hpp"
#include "backend_support.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/yaml_reader.hpp"
#include "model/yaml_writer.hpp"
#include "sim/kernel.hpp"
#include "sim/link_printer.hpp"
#include "sim/script_runner.hpp"
#include "sim_support.hpp"

using namespace vethlab;

namespace {

const char* kTwoHosts = R"(ip netns add sw
ip netns add a
ip netns add b
ip -n sw link add br0 type bridge
ip -n sw link add va type veth peer name pa netns a
ip -n sw link add vb type veth peer name pb netns b
ip -n sw link set va master br0
ip -n sw link set vb master br0
ip -n sw link set br0 up
ip -n sw link set va up
ip -n sw link set vb up
ip -n a addr add 10.0.0.1/24 dev pa
ip -n b addr add 10.0.0.2/24 dev pb
ip -n a link set pa up
ip -n b link set pb up
ip -n a link set lo up
ip -n b link set lo up
)";

std::optional<std::string> apply_line(NetState& st, const std::string& line) {
    Parsed p = parse_ip_script(line + "\n", "t.sh");
    REQUIRE(p.ok());
    REQUIRE(p.topology.edits.size() == 1);
    return st.apply(p.topology.edits[0].op);
}

const Link& link_of(const NetState& st, const std::string& ns, const std::string& name) {
    const Link* l = st.ns(ns)->link(name);
    REQUIRE(l);
    return *l;
}

}  // namespace

TEST_CASE("bridge: ip link add type bridge, master and nomaster parse and print back", "[bridge][ip_script]") {
    for (const std::string cmd : {"ip -n sw link add br0 type bridge", "ip -n sw link set va master br0",
                                  "ip -n sw link set va nomaster", "ip -n sw link set va up master br0"}) {
        Parsed p = parse_ip_script(cmd + "\n", "t.sh");
        REQUIRE(p.ok());
        const std::string again = format_command(p.topology.edits.at(0).op);
        Parsed q = parse_ip_script(again + "\n", "t.sh");
        REQUIRE(q.ok());
        CHECK(q.topology.edits.at(0).op == p.topology.edits.at(0).op);
    }
    Parsed set = parse_ip_script("ip link set va master br0\n", "t.sh");
    CHECK(std::get<LinkSet>(set.topology.edits.at(0).op).master == std::optional<std::string>("br0"));
    Parsed bad = parse_ip_script("ip link set va master br0 nomaster\n", "t.sh");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.errors[0].str() == "t.sh:1:27: 'master' or 'nomaster' given twice");
}

TEST_CASE("bridge: the kernel's rules for masters, with its messages", "[bridge][netstate]") {
    NetState st;
    testing::build(st, "ip netns add sw\nip -n sw link add br0 type bridge\nip -n sw link add br1 type bridge\n"
                       "ip -n sw link add va type veth peer name pa\n");
    CHECK(apply_line(st, "ip -n sw link set lo master br0") == "RTNETLINK answers: Invalid argument");
    CHECK(apply_line(st, "ip -n sw link set va master nosuch") ==
          "Error: argument \"nosuch\" is wrong: Device does not exist");
    CHECK(apply_line(st, "ip -n sw link set va master pa") == "RTNETLINK answers: Operation not supported");
    CHECK(apply_line(st, "ip -n sw link set br1 master br0") == "Error: Can not enslave a bridge to a bridge.");
    CHECK(apply_line(st, "ip netns add x") == std::nullopt);
    CHECK(apply_line(st, "ip -n sw link set br0 netns x") == "Error: The interface netns is immutable.");
    CHECK(apply_line(st, "ip -n sw link set va master br1") == std::nullopt);
    CHECK(link_of(st, "sw", "va").master == link_of(st, "sw", "br1").ifindex);
    // A refused change of master still releases the port from its old bridge.
    CHECK(apply_line(st, "ip -n sw link set va master pa") == "RTNETLINK answers: Operation not supported");
    CHECK(link_of(st, "sw", "va").master == 0);
    CHECK(apply_line(st, "ip -n sw link set va master br0") == std::nullopt);
    // Deleting the bridge releases its ports; moving a port releases it.
    CHECK(apply_line(st, "ip -n sw link set pa master br1") == std::nullopt);
    CHECK(apply_line(st, "ip -n sw link del br1") == std::nullopt);
    CHECK(link_of(st, "sw", "pa").master == 0);
    CHECK(apply_line(st, "ip -n sw link set va netns x") == std::nullopt);
    CHECK(link_of(st, "x", "va").master == 0);
}

TEST_CASE("bridge: carrier follows the ports, MTU the smallest port", "[bridge][netstate]") {
    NetState st;
    testing::build(st, kTwoHosts);
    const Namespace& sw = *st.ns("sw");
    CHECK(st.carrier(sw, link_of(st, "sw", "br0")));
    CHECK(apply_line(st, "ip -n a link set pa down") == std::nullopt);
    CHECK(st.carrier(sw, link_of(st, "sw", "br0")));  // vb still has carrier
    CHECK(apply_line(st, "ip -n sw link set vb down") == std::nullopt);
    CHECK_FALSE(st.carrier(sw, link_of(st, "sw", "br0")));
    CHECK(apply_line(st, "ip -n sw link set va mtu 1400") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mtu == 1400);
    CHECK(apply_line(st, "ip -n sw link set va nomaster") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mtu == 1500);
    CHECK(apply_line(st, "ip -n sw link set br0 mtu 1300") == std::nullopt);
    CHECK(apply_line(st, "ip -n sw link set va master br0") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mtu == 1300);  // set by the user: it stays
}

TEST_CASE("bridge: carrier before the first port, none after the last", "[bridge][netstate]") {
    NetState st;
    testing::build(st, "ip netns add sw\nip -n sw link add br0 type bridge\nip -n sw link set br0 up\n"
                       "ip -n sw link add va type veth peer name pa\n");
    const Namespace& sw = *st.ns("sw");
    CHECK(st.carrier(sw, link_of(st, "sw", "br0")));
    CHECK(sim::format_ip_link(st, sw, true, std::string("br0")).find(" UNKNOWN ") != std::string::npos);
    CHECK(apply_line(st, "ip -n sw link set va master br0") == std::nullopt);
    CHECK_FALSE(st.carrier(sw, link_of(st, "sw", "br0")));  // va is down
    CHECK(apply_line(st, "ip -n sw link set va up") == std::nullopt);
    CHECK(apply_line(st, "ip -n sw link set pa up") == std::nullopt);
    CHECK(st.carrier(sw, link_of(st, "sw", "br0")));
    CHECK(apply_line(st, "ip -n sw link set va nomaster") == std::nullopt);
    CHECK_FALSE(st.carrier(sw, link_of(st, "sw", "br0")));
    CHECK(sim::format_ip_link(st, sw, true, std::string("br0")).find(" DOWN ") != std::string::npos);
}

TEST_CASE("bridge: the MAC is the smallest port's, all-zero without ports, unless set", "[bridge][netstate]") {
    NetState st;
    testing::build(st, "ip netns add sw\nip -n sw link add br0 type bridge\n"
                       "ip -n sw link add va address 02:00:00:00:00:09 type veth peer name pa\n"
                       "ip -n sw link add vb address 02:00:00:00:00:05 type veth peer name pb\n");
    CHECK_FALSE(link_of(st, "sw", "br0").mac.is_zero());  // random at creation
    CHECK(apply_line(st, "ip -n sw link set va master br0") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.str() == "02:00:00:00:00:09");
    CHECK(apply_line(st, "ip -n sw link set vb master br0") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.str() == "02:00:00:00:00:05");
    CHECK(apply_line(st, "ip -n sw link set va address 02:00:00:00:00:01") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.str() == "02:00:00:00:00:01");
    CHECK(apply_line(st, "ip -n sw link del va") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.str() == "02:00:00:00:00:05");
    CHECK(apply_line(st, "ip -n sw link set vb nomaster") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.is_zero());
    CHECK(apply_line(st, "ip -n sw link set br0 address 02:00:00:00:00:42") == std::nullopt);
    CHECK(apply_line(st, "ip -n sw link set vb master br0") == std::nullopt);
    CHECK(link_of(st, "sw", "br0").mac.str() == "02:00:00:00:00:42");  // set by hand: it stays
}

TEST_CASE("bridge: ip link shows the master", "[bridge][printer]") {
    NetState st;
    testing::build(st, kTwoHosts);
    const std::string out = sim::format_ip_link(st, *st.ns("sw"), false, std::string("va"));
    CHECK(out.find("qdisc noqueue master br0 state UP mode DEFAULT") != std::string::npos);
    const std::string br = sim::format_ip_link(st, *st.ns("sw"), false, std::string("br0"));
    CHECK(br.find("<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP") != std::string::npos);
}

TEST_CASE("bridge: YAML kind bridge and master, and the writers' round trips", "[bridge][yaml]") {
    const char* yaml = R"(namespaces:
  sw:
    links:
      br0: {kind: bridge, addresses: [10.0.0.254/24]}
  a: {lo: up}
veths:
  - a: {end: sw:va, master: br0}
    b: a:pa 10.0.0.1/24
)";
    Parsed p = parse_yaml_topology(yaml, "t.yaml");
    for (const auto& d : p.errors) INFO(d.str());
    REQUIRE(p.ok());
    Applied applied = apply_all(p.topology);
    REQUIRE(applied.errors.empty());
    const NetState& st = applied.state;
    CHECK(link_of(st, "sw", "va").master == link_of(st, "sw", "br0").ifindex);
    CHECK(st.carrier(*st.ns("sw"), link_of(st, "sw", "br0")));
    // YAML -> YAML and YAML -> ip script -> YAML give the same state back.
    for (const std::string& text : {write_yaml_topology(p.topology)}) {
        CHECK(text.find("master: br0") != std::string::npos);
        Parsed again = parse_yaml_topology(text, "again.yaml");
        REQUIRE(again.ok());
        CHECK(apply_all(again.topology).state == st);
    }
    Parsed script = parse_ip_script(write_ip_script(p.topology.edits, "t"), "t.sh");
    REQUIRE(script.ok());
    CHECK(apply_all(script.topology).state == st);

    Parsed bad = parse_yaml_topology("namespaces: [sw, a]\nveths:\n  - a: {end: sw:va, master: br0}\n    b: a:pa\n",
                                     "t.yaml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.errors[0].str() == "t.yaml:3:29: master 'br0' of 'va' is not a bridge under 'links' of namespace 'sw'");
}

TEST_CASE("bridge: bridge fdb show parses, prints back and shows learned entries newest first", "[bridge][sim]") {
    for (const std::string cmd : {"bridge -n sw fdb show br br0", "bridge fdb show", "ip netns exec sw bridge fdb"}) {
        Parsed p = parse_ip_script(cmd + "\n", "t.sh");
        REQUIRE(p.ok());
        const auto& show = std::get<Show>(p.topology.edits.at(0).op);
        CHECK(show.what == ShowWhat::bridge_fdb);
        Parsed q = parse_ip_script(format_command(show) + "\n", "t.sh");
        REQUIRE(q.ok());
        CHECK(q.topology.edits.at(0).op == p.topology.edits.at(0).op);
    }
    Parsed bad = parse_ip_script("bridge fdb show dev va\n", "t.sh");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.errors[0].str() == "t.sh:1:17: 'bridge fdb show dev' is not supported (only 'br BR')");

    // The host behind va changes its MAC between two pings: both are learned on va, the new one first.
    const std::string script =
        "ip netns add sw\nip netns add a\nip -n sw link add br0 type bridge\n"
        "ip -n sw link add va address 02:00:00:00:00:0a type veth peer name pa netns a address 02:00:00:00:01:0a\n"
        "ip -n sw link set va master br0\nip -n a addr add 10.0.0.1/24 dev pa\nip -n sw addr add 10.0.0.2/24 dev br0\n"
        "ip -n sw link set br0 up\nip -n sw link set va up\nip -n a link set pa up\n"
        "ip netns exec a ping -c 1 10.0.0.2\nip -n a link set pa address 02:00:00:00:05:0a\n"
        "ip netns exec a ping -c 1 -W 1 10.0.0.2\nbridge -n sw fdb show br br0\n"
        "sleep 310\nbridge -n sw fdb show br nosuch\nbridge -n sw fdb show\n";
    Parsed p = parse_ip_script(script, "t.sh");
    REQUIRE(p.ok());
    sim::ScriptRunner runner;
    std::vector<std::string> out;
    for (const auto& e : p.topology.edits) {
        auto r = runner.run(e);
        if (std::holds_alternative<Show>(e.op)) out.push_back(r.output + fmt::format("exit {}", r.exit_code));
    }
    REQUIRE(out.size() == 3);
    CHECK(out[0] ==
          "02:00:00:00:05:0a dev va master br0 \n"
          "02:00:00:00:01:0a dev va master br0 \n"
          "02:00:00:00:00:0a dev va master br0 permanent\nexit 0");
    CHECK(out[1] == "Cannot find bridge device \"nosuch\"\nexit 255");
    // Aged out, 300 s after they were last seen: the new MAC's at about 6 s, when sw's
    // entry for 10.0.0.1 (STALE since the ARP request carried the new MAC, the reply
    // made it DELAY) went to PROBE and a's unicast ARP reply crossed the bridge.
    CHECK(out[2] == "02:00:00:00:00:0a dev va master br0 permanent\nexit 0");
}

TEST_CASE("bridge: the simulator learns, forwards, and forgets after 300 s", "[bridge][sim]") {
    NetState st;
    testing::build(st, kTwoHosts);
    sim::Kernel k(st);
    std::vector<std::string> lines;
    k.set_trace([&](const std::string& l) { lines.push_back(l); });
    auto floods = [&] {
        return std::count_if(lines.begin(), lines.end(),
                             [](const std::string& l) { return l.find("br0 floods") != std::string::npos; });
    };
    CHECK(testing::outcome(testing::sim_ping(k, st, "a", "-c 1 10.0.0.2")) ==
          std::vector<std::string>{"reply seq=1 ttl=64 from=10.0.0.2"});
    CHECK(floods() == 1);  // the ARP request; the reply and the echoes were forwarded
    CHECK(testing::outcome(testing::sim_ping(k, st, "a", "-c 1 10.0.0.2")).size() == 1);
    CHECK(floods() == 1);
    // Past the ageing time the bridge has forgotten both hosts: the next frame is flooded.
    k.queue().run_until(k.now() + 400 * sim::kSecond);
    lines.clear();
    CHECK(testing::outcome(testing::sim_ping(k, st, "a", "-c 1 10.0.0.2")).size() == 1);
    CHECK(floods() >= 1);
}

TEST_CASE("bridge: plan creates the bridge and enslaves its ports through netlink", "[bridge][backend][plan]") {
    const Topology topo = testing::topology_from("lab.sh", kTwoHosts);
    const backend::Plan plan = backend::make_plan(topo, "t-");
    REQUIRE(plan.refusals.empty());
    backend::FakeNetlink fake;
    for (const auto& step : plan.steps) REQUIRE_FALSE(backend::run(fake, step.op).has_value());
    CHECK(std::count(fake.calls.begin(), fake.calls.end(), "bridge t-sw/br0") == 1);
    CHECK(std::count(fake.calls.begin(), fake.calls.end(), "link set t-sw/va master br0") == 1);
    const std::string printed = backend::format_plan(topo, plan);
    CHECK(printed.find("ip -n t-sw link add br0 type bridge") != std::string::npos);
    CHECK(printed.find("ip -n t-sw link set vb master br0") != std::string::npos);
    const backend::Plan in_host = backend::make_plan(testing::topology_from("h.sh", "ip link add br0 type bridge\n"), "");
    REQUIRE(in_host.refusals.size() == 1);
    CHECK(in_host.refusals[0].str().find("creates a bridge in the host's own namespace") != std::string::npos);
}
