// What vethlab up and down may touch on the real kernel: only the lab's own namespaces
// (by identity, not by name), never another lab's or the user's, nothing without the
// privileges, and one lab built by one `up` at a time.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "backend/netns.hpp"
#include "backend_support.hpp"
#include "kernel_lab.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {

const std::string kCli = VETHLAB_CLI;

const std::string kTriangle =
    "ip netns add a\nip netns add b\nip netns add c\n"
    "ip -n a link add ab type veth peer name ba netns b\n"
    "ip -n b link add bc type veth peer name cb netns c\n"
    "ip -n c link add ca type veth peer name ac netns a\n"
    "ip -n a addr add 10.9.0.1/30 dev ab\nip -n a link set ab up\n";

std::string up(const std::string& prefix, const TempDir& state, const std::string& file, const std::string& name) {
    return fmt::format("{} up '{}' --name {} --prefix {} --state-dir '{}'", kCli, file, name, prefix, state.path());
}
std::string down(const TempDir& state, const std::string& name) {
    return fmt::format("{} down --name {} --state-dir '{}'", kCli, name, state.path());
}
std::string links(const std::string& ns) { return run_shell("ip -n " + ns + " -o link show | cut -d' ' -f2").out; }

}  // namespace

TEST_CASE("kernel: down of one lab leaves another lab and the user's namespaces with the same link names",
          "[kernel][ownership]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab one, two, user;
    TempDir state;
    const std::string file = state.path() + "/tri.sh";
    std::ofstream(file) << kTriangle;
    // The user's own namespace, with links named as the lab's.
    REQUIRE(run_shell(fmt::format("ip netns add {0} && ip -n {0} link add ab type veth peer name ba && "
                                  "ip -n {0} link add ac type veth peer name ca",
                                  user.real("a")))
                .status == 0);
    const std::string user_links = links(user.real("a"));
    REQUIRE(run_shell(up(one.prefix(), state, file, "one")).status == 0);
    REQUIRE(run_shell(up(two.prefix(), state, file, "two")).status == 0);
    const std::string two_links = links(two.real("a"));
    CHECK(two_links.find("ab@") != std::string::npos);

    const auto r = run_shell(down(state, "one"));
    CHECK(r.status == 0);
    CHECK(r.out == "lab 'one' is down: removed 3 namespaces\n");
    CHECK(one.namespaces().empty());
    CHECK(two.namespaces().size() == 3);
    CHECK(links(two.real("a")) == two_links);
    CHECK(user.namespaces() == std::vector<std::string>{user.real("a")});
    CHECK(links(user.real("a")) == user_links);
    // A lab cannot take over the other's namespaces either.
    const auto steal = run_shell(up(two.prefix(), state, file, "three"));
    CHECK(steal.status == 1);
    CHECK(steal.err.find("it belongs to lab 'two'") != std::string::npos);
    CHECK(run_shell(down(state, "two")).status == 0);
    CHECK(two.namespaces().empty());
    CHECK(user.namespaces().size() == 1);
}

TEST_CASE("kernel: a namespace of the lab's name made again by the user is left alone, even with a reused inode",
          "[kernel][ownership]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    TempDir state;
    const std::string file = state.path() + "/tri.sh";
    std::ofstream(file) << kTriangle;
    int reused_inodes = 0;
    for (int round = 0; round < 8; ++round) {
        KernelLab lab;
        INFO("round " << round);
        REQUIRE(run_shell(up(lab.prefix(), state, file, "tri")).status == 0);
        const std::string b = lab.real("b");
        const auto inode = backend::netns_inode(b);
        const auto id = backend::netns_unique_id(b);
        REQUIRE(id);
        // The user deletes the lab's namespace by hand and makes one of the same name.
        REQUIRE(run_shell(fmt::format("ip netns del {0} && sleep 0.05 && ip netns add {0}", b)).status == 0);
        if (backend::netns_inode(b) == inode) ++reused_inodes;
        CHECK(backend::netns_unique_id(b) != id);
        const auto r = run_shell(down(state, "tri"));
        CHECK(r.status == 0);
        CHECK(r.err == fmt::format("vethlab down: namespace '{}' is not the one lab 'tri' made; left alone\n", b));
        CHECK(lab.namespaces() == std::vector<std::string>{b});
    }
    // What the journal once keyed on: the nsfs inode comes back for a new namespace.
    INFO("inode reused in " << reused_inodes << " of 8 rounds");
    SUCCEED();
}

TEST_CASE("kernel: with every capability dropped, up, down and mesh --measure say so and change nothing",
          "[kernel][ownership]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    if (run_shell("command -v setpriv >/dev/null").status != 0) {
        WARN("setpriv is not installed");
        return;
    }
    KernelLab lab;
    TempDir state;
    const std::string drop = "setpriv --inh-caps=-all --bounding-set=-all ";
    const std::string file = testing::example("seed.sh");
    REQUIRE(run_shell(up(lab.prefix(), state, file, "seed")).status == 0);
    const auto before = lab.namespaces();
    const std::string journal = testing::read_text_file(state.path() + "/seed/journal");

    auto r = run_shell(drop + up(lab.prefix(), state, file, "other"));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "vethlab up: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root, e.g. with sudo)\n");
    r = run_shell(drop + down(state, "seed"));
    CHECK(r.status == 1);
    CHECK(r.err == "vethlab down: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root, e.g. with sudo)\n");
    r = run_shell(drop + kCli + " mesh --measure --min 2 --max 3 --state-dir '" + state.path() + "'");
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "vethlab mesh --measure: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root, e.g. with sudo)\n");
    // The simulator and analysis need none.
    CHECK(run_shell(drop + kCli + " check '" + file + "'").status == 0);
    CHECK(run_shell(drop + kCli + " mesh --max 5").status == 0);

    CHECK(lab.namespaces() == before);
    CHECK(testing::read_text_file(state.path() + "/seed/journal") == journal);
    CHECK(run_shell("ls '" + state.path() + "'").out == "seed\nseed.lock\n");
    CHECK(run_shell(down(state, "seed")).status == 0);
}

TEST_CASE("kernel: two up of one lab at once: one builds, the other refuses, the journal stays whole",
          "[kernel][ownership]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    const std::string file = state.path() + "/tri.sh";
    std::ofstream(file) << kTriangle;
    SECTION("the first is held half-way") {
        const std::string err = state.path() + "/err";
        const auto r = run_shell(fmt::format(
            "VETHLAB_TEST_PAUSE_AFTER=4 {0} >/dev/null 2>'{1}' & pid=$!\n"
            "for i in $(seq 2000); do grep -q 'test pause' '{1}' && break; sleep 0.01; done\n"
            "{0} 2>&1; echo \"second: $?\"; kill -TERM $pid; wait $pid; echo \"first: $?\"",
            up(lab.prefix(), state, file, "tri"), err));
        CHECK(r.out == fmt::format("lab 'tri' is busy: another vethlab up or down holds {}/tri.lock\n"
                                   "second: 1\nfirst: 1\n",
                                   state.path()));
        CHECK(lab.namespaces().empty());  // the first, stopped, rolled back
    }
    SECTION("both started together") {
        const auto r = run_shell(fmt::format("{0} >'{1}/o1' 2>&1 & p1=$!; {0} >'{1}/o2' 2>&1 & p2=$!\n"
                                             "wait $p1; echo $?; wait $p2; echo $?",
                                             up(lab.prefix(), state, file, "tri"), state.path()));
        const std::string both = testing::read_text_file(state.path() + "/o1") + testing::read_text_file(state.path() + "/o2");
        INFO(both);
        // One built it; the other found it busy, or -- if it came after -- already up.
        CHECK(both.find("lab 'tri' is up: 3 namespaces") != std::string::npos);
        CHECK((r.out == "0\n1\n" || r.out == "1\n0\n" || r.out == "0\n0\n"));
        if (r.out != "0\n0\n") CHECK(both.find("is busy") != std::string::npos);
        else CHECK(both.find("already up as the file says: nothing changed") != std::string::npos);
        CHECK(lab.namespaces().size() == 3);
        const auto d = run_shell(down(state, "tri"));
        CHECK(d.out == "lab 'tri' is down: removed 3 namespaces\n");
        CHECK(lab.namespaces().empty());
    }
}
