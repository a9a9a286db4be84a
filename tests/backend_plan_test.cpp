// Plans: the operations `up` runs for a topology, checked call by call on the fake.
#include <catch2/catch.hpp>

#include "backend/lab.hpp"
#include "backend/netlink_fake.hpp"
#include "backend/plan.hpp"
#include "backend_support.hpp"

using namespace vethlab;
using namespace vethlab::backend;
using vethlab::testing::topology_from;

namespace {

std::vector<std::string> calls_for(const Topology& topo, const std::string& prefix = "t-") {
    const Plan plan = make_plan(topo, prefix);
    std::string problems;
    for (const auto& r : plan.refusals) problems += r.str() + "\n";
    INFO(problems);
    REQUIRE(plan.refusals.empty());
    FakeNetlink fake;
    for (const auto& step : plan.steps) REQUIRE_FALSE(run(fake, step.op).has_value());
    return fake.calls;
}

std::vector<std::string> refusals(const std::string& script) {
    const Plan plan = make_plan(topology_from("lab.sh", script), "");
    std::vector<std::string> out;
    for (const auto& r : plan.refusals) out.push_back(r.str());
    return out;
}

}  // namespace

TEST_CASE("plan: the seed script creates each link once, directly in its namespaces", "[backend][plan]") {
    Parsed parsed = load_topology(testing::example("seed.sh"));
    REQUIRE(parsed.ok());
    CHECK(calls_for(parsed.topology) == std::vector<std::string>{
                                           "netns add t-ns0",
                                           "netns add t-ns1",
                                           "tap t-ns0/tap0 up",
                                           "tap t-ns1/tap1 up",
                                           "addr add t-ns0/tap0 10.0.0.1/24",
                                           "addr add t-ns1/tap1 10.0.0.2/24",
                                           "veth t-ns0/veth0 up -- t-ns1/veth1 up",
                                           "route change t-ns0 10.0.0.0/24 via 0.0.0.0 dev veth0",
                                           "route change t-ns1 10.0.0.0/24 via 0.0.0.0 dev veth1",
                                       });
    const Plan plan = make_plan(parsed.topology, "");
    CHECK(plan.observations.size() == 7);
    CHECK(plan.namespaces == std::vector<std::string>{"ns0", "ns1"});
    // Names the script creates in the host: the host must not have them already.
    CHECK(plan.host_names.size() == 4);
    // The veth step stands for its creation, both moves and both ups; the creation is blamed.
    const Step& veth = plan.steps[6];
    REQUIRE(std::holds_alternative<CreateVeth>(veth.op));
    CHECK(edit_lines(parsed.topology, veth.edits) == "24, 26, 27, 29, 30");
}

TEST_CASE("plan: the seed as printed by vethlab plan", "[backend][plan]") {
    Parsed parsed = load_topology(testing::example("seed.sh"));
    REQUIRE(parsed.ok());
    CHECK(format_plan(parsed.topology, make_plan(parsed.topology, "lab-")) ==
          "ip netns add lab-ns0\n"
          "ip netns add lab-ns1\n"
          "ip -n lab-ns0 tuntap add dev tap0 mode tap && ip -n lab-ns0 link set tap0 up  # lines 13, 15, 19\n"
          "ip -n lab-ns1 tuntap add dev tap1 mode tap && ip -n lab-ns1 link set tap1 up  # lines 14, 16, 20\n"
          "ip -n lab-ns0 addr add 10.0.0.1/24 dev tap0\n"
          "ip -n lab-ns1 addr add 10.0.0.2/24 dev tap1\n"
          "ip -n lab-ns0 link add veth0 up type veth peer name veth1 netns lab-ns1  # lines 24, 26, 27, 29, 30\n"
          "ip -n lab-ns1 link set veth1 up\n"
          "ip -n lab-ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n"
          "ip -n lab-ns1 route change 10.0.0.0/24 via 0.0.0.0 dev veth1\n"
          "# not run by up: 7 observations (lines 37, 42, 43, 50, 51, 56, 57)\n");
}

TEST_CASE("plan: a move keeps MTU and MAC, renames, and applies what the move line sets", "[backend][plan]") {
    const auto topo = topology_from("lab.sh", R"(ip netns add x
ip netns add y
ip link add v0 mtu 9000 type veth peer name v1 address 02:00:00:00:00:0b
ip link set v1 netns y name v2 mtu 1400
ip link set v0 netns x up
ip -n x addr add 10.0.0.1/30 dev v0
)");
    CHECK(calls_for(topo, "") == std::vector<std::string>{
                                     "netns add x",
                                     "netns add y",
                                     "veth x/v0 mtu 9000 up -- y/v2 mtu 1400 address 02:00:00:00:00:0b",
                                     "addr add x/v0 10.0.0.1/30",
                                 });
}

TEST_CASE("plan: pairs created in place need no fusing, later ups fold in across addresses", "[backend][plan]") {
    Parsed parsed = load_topology(testing::example("mesh3.sh"));
    REQUIRE(parsed.ok());
    const auto calls = calls_for(parsed.topology, "m-");
    REQUIRE(calls.size() == 15);
    CHECK(calls[3] == "link set m-ns1/lo up");
    CHECK(calls[6] == "veth m-ns1/v12 up -- m-ns2/v21 up");
    CHECK(calls[9] == "addr add m-ns1/v12 10.0.12.1/30");
}

TEST_CASE("plan: an up that would reorder routes is not folded", "[backend][plan]") {
    // Both taps carry 10.0.0.0/24: the route of the device that comes up last is
    // listed first. Folding the ups into the creations would swap them.
    const auto topo = topology_from("lab.sh", R"(ip netns add a
ip -n a tuntap add dev t1 mode tap
ip -n a tuntap add dev t2 mode tap
ip -n a addr add 10.0.0.1/24 dev t1
ip -n a addr add 10.0.0.2/24 dev t2
ip -n a link set t2 up
ip -n a link set t1 up
)");
    CHECK(calls_for(topo, "") == std::vector<std::string>{
                                     "netns add a",
                                     "tap a/t1",
                                     "tap a/t2",
                                     "addr add a/t1 10.0.0.1/24",
                                     "addr add a/t2 10.0.0.2/24",
                                     "link set a/t2 up",
                                     "link set a/t1 up",
                                 });
}

TEST_CASE("plan: nothing may stay in, or change, the host's namespace", "[backend][plan]") {
    CHECK(refusals("ip netns add a\nip addr add 10.0.0.1/24 dev lo\n") ==
          std::vector<std::string>{"lab.sh:2:1: 'ip addr add 10.0.0.1/24 dev lo' changes the host's own namespace; "
                                   "vethlab changes only namespaces it creates (run it in one of them with `ip -n NS` "
                                   "or `ip netns exec NS`)"});
    CHECK(refusals("ip netns add a\nip link add v0 type veth peer name v1\nip link set v0 netns a\n") ==
          std::vector<std::string>{"lab.sh:2:1: 'ip link add v0 type veth peer name v1' leaves 'v1' in the host's "
                                   "namespace: the script never moves it into one of its namespaces, and vethlab "
                                   "changes nothing in the host's"});
    CHECK(refusals("ip netns add a\nip link add v0 type veth peer name v1\nip link set v0 up\n"
                   "ip link set v0 netns a\nip link set v1 netns a\n")
              .front()
              .starts_with("lab.sh:3:1: 'ip link set v0 up' changes the host's own namespace"));
    CHECK(refusals("ip netns add a\nsysctl -w net.ipv4.ip_forward=1\n").front().starts_with("lab.sh:2:1: 'sysctl"));
    CHECK(refusals("ip netns add a\nip route add blackhole 10.9.0.0/16\n").size() == 1);
}

TEST_CASE("plan: an end used before its peer has left the host is refused", "[backend][plan]") {
    const auto r = refusals("ip netns add a\nip netns add b\nip link add v0 type veth peer name v1\n"
                            "ip link set v0 netns a\nip -n a link set v0 up\nip link set v1 netns b\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].starts_with("lab.sh:5:1: 'ip -n a link set v0 up' uses 'v0' in 'a' while the other end of its pair "
                           "is still in the host's namespace"));
}

TEST_CASE("plan: namespaces the script does not create are not touched", "[backend][plan]") {
    const Plan plan = make_plan(topology_from("lab.sh", "ip netns add a\nip netns add b\nip netns del b\n"), "");
    CHECK(plan.refusals.empty());
    Topology topo;
    topo.file = "lab.sh";
    topo.edits.push_back({LinkAdd{.ns = "foreign", .name = "x", .kind = LinkKind::tap}, {"lab.sh", 1, 1}, "ip -n foreign tuntap add dev x mode tap"});
    const Plan foreign = make_plan(topo, "");
    REQUIRE(foreign.refusals.size() == 1);
    CHECK(foreign.refusals[0].str() ==
          "lab.sh:1:1: 'ip -n foreign tuntap add dev x mode tap' uses namespace 'foreign', which the script does not "
          "create; vethlab changes only namespaces it creates");
}
