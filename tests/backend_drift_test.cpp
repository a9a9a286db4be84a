// Drift between two model states, and up of a lab that is up (on the fake): what is
// named, which operations make the kernel match, what the journal keeps.
#include <catch2/catch.hpp>

#include "backend/drift.hpp"
#include "backend/journal.hpp"
#include "backend/lab.hpp"
#include "backend/netlink_fake.hpp"
#include "backend_support.hpp"

using namespace vethlab;
using namespace vethlab::backend;
using vethlab::testing::TempDir;

namespace {

NetState state_of(const std::string& script) { return apply_all(testing::topology_from("s.sh", script)).state; }

std::vector<std::string> commands(const Drift& d) {
    std::vector<std::string> out;
    for (const auto& op : d.ops)
        for (const auto& line : ip_commands(op)) out.push_back(line);
    return out;
}

const char* kPair = R"(ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/30 dev v0
ip -n b addr add 10.0.0.2/30 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip -n a route add 10.9.0.0/16 via 10.0.0.2
)";

}  // namespace

TEST_CASE("drift: the same state has none", "[backend][drift]") {
    const NetState s = state_of(kPair);
    CHECK(find_drift(s, s, {}).empty());
    CHECK(find_drift(s, s, {}).ops.empty());
}

TEST_CASE("drift: a namespace, an address and a route more, the operations undo them", "[backend][drift]") {
    const NetState want = state_of(kPair);
    const NetState have = state_of(std::string(kPair) + "ip netns add c\n"
                                                       "ip -n a addr add 10.5.0.1/24 dev v0\n"
                                                       "ip -n b route add 10.8.0.0/16 via 10.0.0.1\n"
                                                       "ip -n a link set v0 mtu 1400\n");
    const Drift d = find_drift(want, have, {});
    CHECK(d.differences == std::vector<std::string>{
                               "namespace c is not in the file",
                               "a: v0: mtu 1400 on the kernel, 1500 in the file",
                               "a: v0: address 10.5.0.1/24 is not in the file",
                               "b: route not in the file: unicast 10.8.0.0/16 via 10.0.0.1 dev v1 metric 0 table main "
                               "scope global proto boot",
                           });
    CHECK(commands(d) == std::vector<std::string>{
                             "ip netns del c",
                             "ip -n a link set v0 mtu 1500",
                             "ip -n a addr del 10.5.0.1/24 dev v0",
                             "ip -n b route del unicast 10.8.0.0/16 via 10.0.0.1 dev v1 metric 0 table main scope "
                             "global proto boot",
                         });
}

TEST_CASE("drift: a veth with another peer is made again, routes it took are put back", "[backend][drift]") {
    const NetState want = state_of(kPair);
    const NetState have = state_of(R"(ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns a
ip link add x netns b type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/30 dev v0
ip -n a link set v0 up
ip -n b link set v1 up
)");
    const Drift d = find_drift(want, have, {});
    // v1 is a's first link (the kernel registers a new veth's peer first); deleting it
    // takes v0 along, so the pair is made again from the file.
    CHECK(d.differences == std::vector<std::string>{
                               "a: link v1 is not in the file",
                               "b: link v1 has peer b:x on the kernel, a:v0 in the file",
                               "a: veth v0 (peer b:v1) is missing",
                               "a: route missing: unicast 10.9.0.0/16 via 10.0.0.2 dev v0 metric 0 table main scope "
                               "global proto boot",
                           });
    // Applying the operations to `have` gives `want`.
    NetState fixed = have;
    for (const auto& op : d.ops)
        for (const auto& e : model_edits(op)) REQUIRE_FALSE(fixed.apply(e));
    CHECK(find_drift(want, fixed, {}).empty());
}

TEST_CASE("drift: writing ip_forward sets conf.all.accept_redirects to !on, as the kernel does", "[backend][drift]") {
    const NetState s = state_of("ip netns add a\nip netns exec a sysctl -w net.ipv4.ip_forward=1\n");
    CHECK(s.sysctl_value(*s.ns("a"), "net.ipv4.conf.all.accept_redirects") == "0");
    const NetState again = state_of("ip netns add a\nip netns exec a sysctl -w net.ipv4.conf.all.accept_redirects=1\n"
                                    "ip netns exec a sysctl -w net.ipv4.ip_forward=0\n");
    CHECK(again.sysctl_value(*again.ns("a"), "net.ipv4.conf.all.accept_redirects") == "1");  // no change: no effect
}

TEST_CASE("lab: up of a lab that is up runs only the drift's operations and records the new file", "[backend][lab]") {
    TempDir state;
    FakeNetlink fake;
    const Topology topo = testing::topology_from("lab.sh", kPair);
    const Plan plan = make_plan(topo, "t-");
    LabOptions opts{"lab", "t-", state.path(), {}};
    std::atomic<bool> stop{false};
    REQUIRE(lab_up(fake, topo, kPair, plan, opts, stop).result == UpResult::built);
    fake.calls.clear();
    std::vector<std::string> seen_live;
    opts.drift = [&](const std::vector<std::string>& live) -> Result<Drift> {
        seen_live = live;
        Drift d;
        d.differences = {"namespace t-c is missing", "namespace t-b is not in the file"};
        d.ops = {AddNetns{"t-c"}, DelNetns{"t-b"}, SetSysctl{"t-a", "net.ipv4.ip_forward", "1"}};
        return d;
    };
    const UpOutcome up = lab_up(fake, topo, std::string(kPair) + "#\n", plan, opts, stop);
    CHECK(up.result == UpResult::changed);
    CHECK(seen_live == std::vector<std::string>{"t-a", "t-b"});
    CHECK(up.differences.size() == 2);
    CHECK(fake.calls == std::vector<std::string>{"netns add t-c", "netns del t-b (settle)", "sysctl t-a net.ipv4.ip_forward=1"});
    const auto rec = read_lab(state.path(), "lab");
    REQUIRE(rec);
    CHECK(rec->hash == lab_hash(std::string(kPair) + "#\n", "t-"));
    std::vector<std::string> live;
    for (const auto* ns : rec->live()) live.push_back(ns->name);
    CHECK(live == std::vector<std::string>{"t-a", "t-c"});
    // No drift: nothing runs, and the lab is unchanged.
    fake.calls.clear();
    opts.drift = [](const std::vector<std::string>&) -> Result<Drift> { return Drift{}; };
    CHECK(lab_up(fake, topo, kPair, plan, opts, stop).result == UpResult::unchanged);
    CHECK(fake.calls.empty());
}

TEST_CASE("drift: a bridge port released, moved or missing its bridge -- the operations put it back", "[backend][drift]") {
    const std::string base = "ip netns add s\n"
                             "ip netns add h\n"
                             "ip -n s link add br0 type bridge\n"
                             "ip -n s link add br1 type bridge\n"
                             "ip -n s link add p0 type veth peer name e0 netns h\n"
                             "ip -n s link add p1 type veth peer name e1 netns h\n";
    const NetState want = state_of(base + "ip -n s link set p0 master br0\nip -n s link set p1 master br0\n");
    const NetState have = state_of(base + "ip -n s link set p1 master br1\n");
    Drift d = find_drift(want, have, {});
    CHECK(d.differences == std::vector<std::string>{"s: p0: master none on the kernel, br0 in the file",
                                                    "s: p1: master br1 on the kernel, br0 in the file"});
    CHECK(commands(d) == std::vector<std::string>{"ip -n s link set p0 master br0", "ip -n s link set p1 master br0"});
    // The other way: a port the file leaves out of every bridge is released.
    d = find_drift(have, want, {});
    CHECK(d.differences == std::vector<std::string>{"s: p0: master br0 on the kernel, none in the file",
                                                    "s: p1: master br0 on the kernel, br1 in the file"});
    CHECK(commands(d) == std::vector<std::string>{"ip -n s link set p0 nomaster", "ip -n s link set p1 master br1"});
    // A missing bridge is made (quietly) before its ports go onto it.
    const NetState bare = state_of("ip netns add s\nip netns add h\n"
                                   "ip -n s link add br1 type bridge\n"
                                   "ip -n s link add p0 type veth peer name e0 netns h\n"
                                   "ip -n s link add p1 type veth peer name e1 netns h\n");
    d = find_drift(want, bare, {});
    CHECK(d.differences == std::vector<std::string>{"s: bridge br0 is missing",
                                                    "s: p0: master none on the kernel, br0 in the file",
                                                    "s: p1: master none on the kernel, br0 in the file"});
    CHECK(commands(d).front() == "ip -n s link add br0 type bridge");
}
