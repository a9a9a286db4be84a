// Crash consistency of vethlab up and down on the real kernel: a full mesh built with
// the process killed (SIGKILL) or interrupted (SIGINT) after k operations for many k,
// a kernel refusal injected at the k-th operation, and down killed half-way. After the
// following `down` nothing of the lab is left: no namespace, no link, no journal, and
// the lab's lock is free.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "backend_support.hpp"
#include "kernel_lab.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;
using vethlab::testing::mesh_script;

namespace {

const std::string kCli = VETHLAB_CLI;
constexpr int kMeshN = 10;  // 10 namespaces, 45 pairs (each created up), 90 addresses: 145 operations

struct Fixture {
    KernelLab lab;
    TempDir state;
    std::string file;
    Fixture() : file(state.path() + "/mesh.sh") { std::ofstream(file) << mesh_script(kMeshN); }

    std::string cmd(const std::string& verb) const {
        return verb == "up" ? fmt::format("{} up '{}' --prefix {} --state-dir '{}'", kCli, file, lab.prefix(), state.path())
                            : fmt::format("{} down --name mesh --state-dir '{}'", kCli, state.path());
    }
    // Runs verb with the hook VETHLAB_TEST_PAUSE_AFTER=k, waits (at most 20 s) until it
    // pauses, sends it `signal`; returns its exit status and stderr.
    testing::CommandResult paused_then(const std::string& verb, uint64_t k, const std::string& signal) const {
        const std::string err = state.path() + "/err";
        const auto r = run_shell(fmt::format(
            "VETHLAB_TEST_PAUSE_AFTER={} {} >/dev/null 2>'{}' & pid=$!\n"
            "for i in $(seq 2000); do grep -q 'test pause' '{}' && break; sleep 0.01; done\n"
            "kill -{} $pid; wait $pid 2>/dev/null; echo $?",
            k, cmd(verb), err, err, signal));
        return {std::atoi(r.out.c_str()), r.out, testing::read_text_file(err)};
    }
    // Nothing of the lab: namespaces, links (a veth end in the host), journal, held lock.
    void check_nothing_left() const {
        CHECK(lab.namespaces().empty());
        CHECK(run_shell("ip -o link show | grep -c ' p[0-9]*x[0-9]*[@:]'").out == "0\n");
        CHECK(run_shell(fmt::format("test -e '{}/mesh'", state.path())).status != 0);
        CHECK(run_shell(fmt::format("flock -n '{}/mesh.lock' true", state.path())).status == 0);
    }
};

// How many kernel operations a full up of the mesh takes (built once and taken down).
uint64_t operations(const Fixture& f) {
    const auto r = run_shell(f.cmd("up") + " --json | grep -o '\"operations\": [0-9]*' | grep -o '[0-9]*$'");
    run_shell(f.cmd("down"));
    return std::strtoull(r.out.c_str(), nullptr, 10);
}

}  // namespace

TEST_CASE("kernel: up killed with SIGKILL after k operations, then down, leaves nothing", "[kernel][crash]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    Fixture probe;
    const uint64_t total = operations(probe);
    REQUIRE(total > 140);  // namespaces, pairs (created up), addresses
    // Inside and between namespace creations, the first pairs, and late in the plan.
    for (uint64_t k : {uint64_t(1), uint64_t(2), uint64_t(5), uint64_t(kMeshN - 1), uint64_t(kMeshN),
                       uint64_t(kMeshN + 1), uint64_t(kMeshN + 2), uint64_t(37), uint64_t(64), uint64_t(100),
                       uint64_t(120), total - 2, total - 1}) {
        Fixture f;
        INFO("killed after " << k << " of " << total << " operations");
        const auto killed = f.paused_then("up", k, "KILL");
        CHECK(killed.status == 137);
        CHECK(!f.lab.namespaces().empty());
        const auto again = run_shell(f.cmd("up"));  // refuses until down has run
        CHECK(again.status == 1);
        CHECK(again.err.find("holds what an interrupted `up` left") != std::string::npos);
        const auto down = run_shell(f.cmd("down"));
        INFO(down.err);
        CHECK(down.status == 0);
        CHECK(down.out.find("lab 'mesh' is down: removed ") == 0);
        f.check_nothing_left();
    }
}

TEST_CASE("kernel: up interrupted with SIGINT after k operations rolls back by itself", "[kernel][crash]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    for (uint64_t k : {uint64_t(1), uint64_t(kMeshN), uint64_t(kMeshN + 1), uint64_t(80), uint64_t(140)}) {
        Fixture f;
        INFO("interrupted after " << k << " operations");
        const auto r = f.paused_then("up", k, "INT");
        CHECK(r.status == 1);
        CHECK(r.err.find("vethlab up: interrupted\nvethlab up: rolled back: removed namespace") != std::string::npos);
        f.check_nothing_left();
        CHECK(run_shell(f.cmd("down")).status == 1);  // no lab left to take down
    }
}

TEST_CASE("kernel: a refusal injected at the k-th operation rolls everything back", "[kernel][crash]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    for (uint64_t k : {uint64_t(1), uint64_t(4), uint64_t(kMeshN + 1), uint64_t(kMeshN + 3), uint64_t(140)}) {
        Fixture f;
        INFO("refused at operation " << k);
        const auto r = run_shell(fmt::format("VETHLAB_TEST_FAIL_AT={} {}", k, f.cmd("up")));
        CHECK(r.status == 1);
        CHECK(r.err.find(fmt::format("the kernel refused '")) != std::string::npos);
        CHECK(r.err.find(fmt::format("injected failure (VETHLAB_TEST_FAIL_AT={})", k)) != std::string::npos);
        if (k > 1) CHECK(r.err.find("vethlab up: rolled back: removed namespace") != std::string::npos);
        f.check_nothing_left();
    }
}

TEST_CASE("kernel: down killed half-way, then down again, leaves nothing", "[kernel][crash]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    for (uint64_t k : {uint64_t(1), uint64_t(kMeshN / 2), uint64_t(kMeshN - 1)}) {
        Fixture f;
        INFO("down killed after " << k << " namespaces");
        REQUIRE(run_shell(f.cmd("up")).status == 0);
        const auto killed = f.paused_then("down", k, "KILL");
        CHECK(killed.status == 137);
        CHECK(f.lab.namespaces().size() == size_t(kMeshN) - k);
        const auto down = run_shell(f.cmd("down"));
        CHECK(down.status == 0);
        CHECK(down.out == fmt::format("lab 'mesh' is down: removed {} namespace{} ({} already gone)\n", kMeshN - k,
                                      kMeshN - k == 1 ? "" : "s", k));
        f.check_nothing_left();
    }
}
