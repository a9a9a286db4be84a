// vethlab up / down on the real kernel, as a user runs them: the seed under vethlab
// and under ip end in the same state; refusals, failures, Ctrl-C and kill -9 leave
// nothing behind.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "kernel_state.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim_scenarios.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;
using vethlab::testing::write_file;
using vethlab::testing::mesh_script;

namespace {

const std::string kCli = VETHLAB_CLI;

std::string up(const KernelLab& lab, const TempDir& state, const std::string& file, const std::string& extra = "") {
    return fmt::format("{} up '{}' --prefix {} --state-dir '{}' {}", kCli, file, lab.prefix(), state.path(), extra);
}

std::string down(const TempDir& state, const std::string& lab_name) {
    return fmt::format("{} down --name {} --state-dir '{}'", kCli, lab_name, state.path());
}

// Runs a topology's configuration edits with ip, in the lab (never in the host).
void run_with_ip(const KernelLab& lab, const Topology& topo) {
    for (const auto& edit : topo.edits) {
        if (edit.is_observation()) continue;
        EditOp real = testing::host_free(edit.op);
        REQUIRE(lab.localize(real));
        const auto r = run_shell(format_command(real));
        INFO(format_command(real) << ": " << r.err);
        REQUIRE(r.status == 0);
    }
}

bool host_has_mesh_links() { return run_shell("ip -o link show | grep -c ' p[0-9]*x[0-9]*[@:]'").out != "0\n"; }

}  // namespace

TEST_CASE("kernel: the seed script under vethlab and under ip build the same namespaces", "[kernel][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab ours, theirs;
    TempDir state;
    auto r = run_shell(up(ours, state, testing::example("seed.sh")));
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("lab 'seed' is up: 2 namespaces, 1 veth pair, 2 other links, 2 addresses, 2 routes") == 0);
    // The seed itself creates its pair in the host and moves it: under ip it may only
    // run host-free, with the same result.
    Parsed bash = parse_ip_script(testing::seed_script() +
                                      "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n"
                                      "ip -n ns1 route change 10.0.0.0/24 via 0.0.0.0 dev veth1\n",
                                  "seed-host-free.sh");
    REQUIRE(bash.ok());
    run_with_ip(theirs, bash.topology);
    for (const std::string ns : {"ns0", "ns1"}) {
        const auto [mine, ip] = testing::settled_states(ours, theirs, ns);
        INFO("namespace " << ns);
        CHECK(mine == ip);
        CHECK(mine.find("veth0@if") + mine.find("veth1@if") != 2 * std::string::npos);
    }
    // Ordinary iproute2 namespaces: listed, entered, and the article's fix works.
    CHECK(run_shell("ip netns list").out.find(ours.real("ns0")) != std::string::npos);
    CHECK(run_shell("ip netns exec " + ours.real("ns0") + " ping -c 1 -W 2 10.0.0.2").status == 0);
    CHECK_FALSE(host_has_mesh_links());
    CHECK(run_shell("ip -o link show | grep -c ' veth[01][@:]'").out == "0\n");

    r = run_shell(up(ours, state, testing::example("seed.sh")));
    CHECK(r.status == 0);
    CHECK(r.out == "lab 'seed' is already up as the file says: nothing changed\n");

    r = run_shell(down(state, "seed"));
    CHECK(r.status == 0);
    CHECK(r.out == "lab 'seed' is down: removed 2 namespaces\n");
    CHECK(ours.namespaces().empty());
}

TEST_CASE("kernel: a YAML topology under vethlab and its edits under ip agree", "[kernel][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab ours, theirs;
    TempDir state;
    const auto r = run_shell(up(ours, state, testing::example("router-line.yaml"), "--json"));
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("\"result\": \"built\"") != std::string::npos);
    Parsed parsed = load_topology(testing::example("router-line.yaml"));
    REQUIRE(parsed.ok());
    run_with_ip(theirs, parsed.topology);
    for (const auto& ns : theirs.namespaces()) {
        const std::string name = ns.substr(theirs.prefix().size());
        const auto [mine, ip] = testing::settled_states(ours, theirs, name);
        INFO("namespace " << name);
        CHECK(mine == ip);
    }
    CHECK(run_shell(down(state, "router-line")).status == 0);
    CHECK(ours.namespaces().empty());
}

TEST_CASE("kernel: a refused edit rolls back everything up made", "[kernel][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    // A kernel without the dummy driver (KERNEL-NOTES) refuses what the model accepts.
    if (testing::kernel_has_dummy()) {
        WARN("this kernel has a dummy driver: no refusal to provoke");
        return;
    }
    const std::string file = write_file(state.path(), "broken.sh",
                                        "ip netns add a\nip netns add b\n"
                                        "ip -n a link add v0 type veth peer name v1 netns b\n"
                                        "ip -n a link add d0 type dummy\n");
    const auto r = run_shell(up(lab, state, file));
    CHECK(r.status == 1);
    CHECK(r.err == fmt::format("{}:4:1: the kernel refused 'ip -n a link add d0 type dummy': Error: Unknown device "
                               "type.\nvethlab up: rolled back: removed namespaces {}, {}\n",
                               file, lab.real("b"), lab.real("a")));
    CHECK(lab.namespaces().empty());
    CHECK(run_shell("ls '" + state.path() + "'").out == "broken.sh\n");  // no journal, no lock file
}

TEST_CASE("kernel: up refuses a namespace that is not its own, before changing anything", "[kernel][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    REQUIRE(run_shell("ip netns add " + lab.real("ns1")).status == 0);
    const auto r = run_shell(up(lab, state, testing::example("seed.sh")));
    CHECK(r.status == 1);
    CHECK(r.err == fmt::format("namespace '{}' already exists and is not this lab's (vethlab did not make it); "
                               "vethlab leaves it alone\n",
                               lab.real("ns1")));
    CHECK(lab.namespaces() == std::vector<std::string>{lab.real("ns1")});
    CHECK(run_shell(down(state, "seed")).status == 1);  // nothing to take down
    CHECK(lab.namespaces() == std::vector<std::string>{lab.real("ns1")});
}

TEST_CASE("kernel: without CAP_NET_ADMIN and CAP_SYS_ADMIN up says so and does nothing", "[kernel][up]") {
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
    const auto r = run_shell("setpriv --bounding-set -net_admin,-sys_admin " + up(lab, state, testing::example("seed.sh")));
    CHECK(r.status == 1);
    CHECK(r.err == "vethlab up: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root, e.g. with sudo)\n");
    CHECK(lab.namespaces().empty());
    CHECK(run_shell("ls '" + state.path() + "'").out.empty());
}

TEST_CASE("kernel: Ctrl-C during up rolls back, after kill -9, down removes everything", "[kernel][up]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    TempDir state;
    const std::string file = write_file(state.path(), "mesh.sh", mesh_script(16));
    for (const std::string signal : {"INT", "KILL"}) {
        KernelLab lab;
        INFO("SIG" << signal);
        // Start up, wait until some pairs exist (at most 10 s), then signal it.
        const std::string script = fmt::format(
            "{} >/dev/null 2>'{}/err' & pid=$!\n"
            "for i in $(seq 2000); do [ \"$(ip -n {} -o link show 2>/dev/null | wc -l)\" -ge 4 ] && break; sleep 0.005; done\n"
            "kill -{} $pid; wait $pid; echo $?",
            up(lab, state, file), state.path(), lab.real("m1"), signal);
        const auto r = run_shell(script);
        const bool killed = signal == "KILL";
        CHECK(r.out == (killed ? "137\n" : "1\n"));
        if (!killed) {
            CHECK(testing::read_text_file(state.path() + "/err") == "vethlab up: interrupted\nvethlab up: rolled back: "
                                                                     "removed namespaces " +
                                                                         [&] {
                                                                             std::string names;
                                                                             for (int i = 16; i >= 1; --i)
                                                                                 names += (i == 16 ? "" : ", ") +
                                                                                          lab.real("m" + std::to_string(i));
                                                                             return names;
                                                                         }() + "\n");
            CHECK(lab.namespaces().empty());
            CHECK(run_shell(down(state, "mesh")).status == 1);  // no lab left
        } else {
            CHECK_FALSE(lab.namespaces().empty());
            const auto d = run_shell(down(state, "mesh"));
            CHECK(d.status == 0);
            CHECK(d.out == "lab 'mesh' is down: removed 16 namespaces\n");
            CHECK(lab.namespaces().empty());
        }
        CHECK_FALSE(host_has_mesh_links());
    }
}
