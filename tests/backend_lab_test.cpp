// Labs on the fake: what up and down call, in which order, and what the journal keeps.
#include <catch2/catch.hpp>

#include <fstream>

#include "backend/journal.hpp"
#include "backend/lab.hpp"
#include "backend/netlink_fake.hpp"
#include "backend_support.hpp"

using namespace vethlab;
using namespace vethlab::backend;
using vethlab::testing::TempDir;

namespace {

const char* kScript = R"(ip netns add a
ip netns add b
ip link add v0 netns a type veth peer name v1 netns b
ip -n a addr add 10.0.0.1/30 dev v0
ip -n b addr add 10.0.0.2/30 dev v1
ip -n a link set v0 up
ip -n b link set v1 up
ip -n a route add 10.9.0.0/16 via 10.0.0.2
)";

struct LabFixture {
    TempDir state;
    FakeNetlink fake;
    Topology topo = testing::topology_from("lab.sh", kScript);
    Plan plan = make_plan(topo, "t-");
    LabOptions opts{"lab", "t-", state.path()};
    std::atomic<bool> stop{false};

    UpOutcome up(const Progress& progress = {}) { return lab_up(fake, topo, kScript, plan, opts, stop, progress); }
    std::string journal_path() const { return state.path() + "/lab/journal"; }
};

}  // namespace

TEST_CASE("lab: up runs the plan, journalling each namespace, down removes them newest first", "[backend][lab]") {
    LabFixture f;
    const UpOutcome up = f.up();
    CHECK(up.result == UpResult::built);
    CHECK(f.fake.calls == std::vector<std::string>{
                              "netns add t-a",
                              "netns add t-b",
                              "veth t-a/v0 up -- t-b/v1 up",
                              "addr add t-a/v0 10.0.0.1/30",
                              "addr add t-b/v1 10.0.0.2/30",
                              "route add t-a 10.9.0.0/16 via 10.0.0.2",
                          });
    auto j = Journal::open(f.state.path(), "lab", false);
    REQUIRE(j.ok());
    CHECK(j->record().complete);
    REQUIRE(j->record().live().size() == 2);
    CHECK(j->record().live()[0]->id.has_value());
    CHECK(j->record().prefix == "t-");

    // The lock: a second up or down of the same lab while it is held is refused.
    CHECK(f.up().errors == std::vector<std::string>{"lab 'lab' is busy: another vethlab up or down holds " +
                                                    f.state.path() + "/lab.lock"});
    j = Error{"released"};

    f.fake.calls.clear();
    const DownOutcome down = lab_down(f.fake, f.state.path(), "lab");
    CHECK(down.ok);
    CHECK(f.fake.calls == std::vector<std::string>{"netns del t-b", "netns del t-a"});
    CHECK(f.fake.namespaces.empty());
    CHECK_FALSE(std::ifstream(f.journal_path()).good());
    CHECK_FALSE(std::ifstream(f.state.path() + "/lab.lock").good());  // the lock file goes with the lab
    CHECK(lab_down(f.fake, f.state.path(), "lab").error == "no lab named 'lab' in " + f.state.path());
    CHECK_FALSE(std::ifstream(f.state.path() + "/lab.lock").good());
}

TEST_CASE("lab: a refused step rolls back what up made, newest first", "[backend][lab]") {
    LabFixture f;
    f.fake.refuse("addr add t-b/v1", "Error: ipv4: Address already assigned.");
    const UpOutcome up = f.up();
    CHECK(up.result == UpResult::failed);
    CHECK(up.errors == std::vector<std::string>{"lab.sh:5:1: the kernel refused 'ip -n b addr add 10.0.0.2/30 dev "
                                                "v1': Error: ipv4: Address already assigned."});
    CHECK(up.rolled_back == std::vector<std::string>{"t-b", "t-a"});
    CHECK(f.fake.calls == std::vector<std::string>{
                              "netns add t-a",
                              "netns add t-b",
                              "veth t-a/v0 up -- t-b/v1 up",
                              "addr add t-a/v0 10.0.0.1/30",
                              "addr add t-b/v1 10.0.0.2/30 -> refused",
                              "netns del t-b",
                              "netns del t-a",
                          });
    CHECK_FALSE(std::ifstream(f.journal_path()).good());
}

TEST_CASE("lab: a fused step's refusal names the creation and every line it stands for", "[backend][lab]") {
    LabFixture f;
    f.fake.refuse("veth", "RTNETLINK answers: File exists");
    CHECK(f.up().errors == std::vector<std::string>{"lab.sh:3:1: the kernel refused 'ip link add v0 netns a type veth "
                                                    "peer name v1 netns b': RTNETLINK answers: File exists (one "
                                                    "operation for lines 3, 6, 7)"});
}

TEST_CASE("lab: a stop request between steps rolls back", "[backend][lab]") {
    LabFixture f;
    const UpOutcome up = f.up([&](size_t done, size_t) {
        if (done == 3) f.stop = true;
    });
    CHECK(up.result == UpResult::interrupted);
    CHECK(up.steps_done == 3);
    CHECK(f.fake.calls.back() == "netns del t-a");
    CHECK(f.fake.namespaces.empty());
}

TEST_CASE("lab: up refuses, before anything, namespaces and host links it did not make", "[backend][lab]") {
    LabFixture f;
    f.fake.namespaces.insert("t-b");
    const UpOutcome up = f.up();
    CHECK(up.result == UpResult::refused);
    CHECK(up.errors == std::vector<std::string>{"namespace 't-b' already exists and is not this lab's (vethlab did "
                                                "not make it); vethlab leaves it alone"});
    CHECK(f.fake.calls.empty());

    TempDir state;
    FakeNetlink fake;
    Parsed seed = load_topology(testing::example("seed.sh"));
    REQUIRE(seed.ok());
    fake.host_links = {"veth1"};
    std::atomic<bool> stop{false};
    const UpOutcome host = lab_up(fake, seed.topology, "", make_plan(seed.topology, "s-"), {"seed", "s-", state.path()},
                                  stop);
    REQUIRE(host.errors.size() == 1);
    CHECK(host.errors[0].ends_with("seed.sh:24:1: the host already has a link named 'veth1', so 'ip link add veth0 "
                                   "type veth peer name veth1' would fail there; vethlab leaves it alone"));
    CHECK(fake.calls.empty());
}

TEST_CASE("lab: another lab's namespace is named as that lab's", "[backend][lab]") {
    LabFixture f;
    REQUIRE(f.up().ok());
    LabOptions other = f.opts;
    other.lab = "other";
    const UpOutcome up = lab_up(f.fake, f.topo, kScript, f.plan, other, f.stop);
    CHECK(up.result == UpResult::refused);
    CHECK(up.errors.front() ==
          "namespace 't-a' already exists and is not this lab's (it belongs to lab 'lab'); vethlab leaves it alone");
}

TEST_CASE("lab: up again changes nothing when the file is unchanged, refuses when it changed", "[backend][lab]") {
    LabFixture f;
    REQUIRE(f.up().ok());
    f.fake.calls.clear();
    CHECK(f.up().result == UpResult::unchanged);
    CHECK(f.fake.calls.empty());
    const UpOutcome changed = lab_up(f.fake, f.topo, std::string(kScript) + "\n", f.plan, f.opts, f.stop);
    CHECK(changed.result == UpResult::refused);
    CHECK(changed.errors.front().starts_with("lab 'lab' is up from another version of lab.sh"));
    // A namespace removed behind vethlab's back: the lab is no longer what it was.
    f.fake.namespaces.erase("t-a");
    CHECK(f.up().errors.front() == "lab 'lab' is recorded as up, but its namespace 't-a' is gone or was replaced; "
                                   "run `vethlab down --name lab` first");
    CHECK(f.fake.calls.empty());
}

TEST_CASE("lab: down after a crash between journal record and creation", "[backend][lab]") {
    TempDir state;
    {
        auto j = Journal::open(state.path(), "crashed", true);
        REQUIRE(j.ok());
        Journal journal = std::move(j).value();
        REQUIRE_FALSE(journal.begin("lab.sh", "0", "t-"));
        REQUIRE_FALSE(journal.netns_intent("t-a"));
        REQUIRE_FALSE(journal.netns_made("t-a", 4026530000));
        REQUIRE_FALSE(journal.netns_intent("t-b"));  // killed here: t-b may or may not exist
        REQUIRE_FALSE(journal.netns_intent("t-c"));
        REQUIRE_FALSE(journal.netns_made("t-c", 77));
    }
    FakeNetlink fake;
    fake.namespaces = {"t-b", "t-c"};
    REQUIRE_FALSE(fake.add_netns("t-a"));  // the fake's first identity: 4026530000
    REQUIRE(fake.add_netns("t-a") == "Cannot create namespace file \"/run/netns/t-a\": File exists");
    fake.calls.clear();
    const DownOutcome down = lab_down(fake, state.path(), "crashed");
    CHECK(down.ok);
    // t-c is another namespace now (its identity changed): left alone.
    CHECK(down.replaced == std::vector<std::string>{"t-c"});
    CHECK(fake.calls == std::vector<std::string>{"netns del t-b", "netns del t-a"});
    CHECK(fake.namespaces == std::set<std::string>{"t-c"});
}
