// vethlab inspect and diff on the real kernel, and up of a lab that is already up: the
// seed under vethlab and under ip read back the same; a second up changes nothing; a
// change by hand is named by diff and undone by up; a changed file is applied alone.
#include <catch2/catch.hpp>

#include <fstream>
#include <utility>

#include <fmt/format.h>

#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim_scenarios.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;
using vethlab::testing::write_file;

namespace {

const std::string kCli = VETHLAB_CLI;

std::string lab_cmd(const std::string& verb, const KernelLab& lab, const TempDir& state, const std::string& file) {
    return fmt::format("{} {} '{}' --name t --prefix {} --state-dir '{}'", kCli, verb, file, lab.prefix(), state.path());
}

std::string inspect(const KernelLab& lab) {
    const auto r = run_shell(fmt::format("{} inspect --netns-prefix {}", kCli, lab.prefix()));
    INFO(r.err);
    REQUIRE(r.status == 0);
    return r.out;
}

// A full mesh of n namespaces (a /30 per pair, all up) with forwarding in the first.
std::string mesh(int n) {
    std::string s = testing::mesh_script(n);
    s += "ip netns exec m1 sysctl -w net.ipv4.ip_forward=1\n";
    s += "ip -n m2 route add 10.200.0.0/16 via 10.1.2.1\n";
    return s;
}

}  // namespace

TEST_CASE("kernel: the seed under vethlab and under ip read back the same through inspect", "[kernel][inspect]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab ours, theirs;
    TempDir state;
    auto r = run_shell(lab_cmd("up", ours, state, testing::example("seed.sh")));
    INFO(r.err);
    REQUIRE(r.status == 0);
    // Under ip, host-free (the seed moves its pair out of the host; here it is made in place).
    Parsed bash = parse_ip_script(testing::seed_script() +
                                      "ip -n ns0 route change 10.0.0.0/24 via 0.0.0.0 dev veth0\n"
                                      "ip -n ns1 route change 10.0.0.0/24 via 0.0.0.0 dev veth1\n",
                                  "seed-host-free.sh");
    REQUIRE(bash.ok());
    for (const auto& edit : bash.topology.edits) {
        if (edit.is_observation()) continue;
        EditOp real = edit.op;
        // `ip link add X netns A ...` run from the host touches only A: run it in A.
        if (auto* add = std::get_if<LinkAdd>(&real); add && add->ns.empty() && add->netns) {
            if (!add->peer_netns) add->peer_netns = add->ns;
            add->ns = *std::exchange(add->netns, std::nullopt);
        }
        REQUIRE(theirs.localize(real));
        r = run_shell(format_command(real));
        INFO(format_command(real) << ": " << r.err);
        REQUIRE(r.status == 0);
    }
    const std::string mine = inspect(ours);
    const std::string ip = inspect(theirs);
    CHECK(testing::mask_macs(mine) == testing::mask_macs(ip));
    CHECK(mine.find("10.0.0.0/24 dev veth0 scope global") != std::string::npos);
    CHECK(mine.find("end: ns0:veth0") != std::string::npos);

    // The simulator runs on what is deployed, and agrees with the kernel's ping.
    const std::string yaml = write_file(state.path(), "seen.yaml", mine);
    CHECK(run_shell(fmt::format("{} ping '{}' ns0 10.0.0.2 -c 1", kCli, yaml)).status == 0);
    CHECK(run_shell(fmt::format("ip netns exec {} ping -c 1 -W 2 10.0.0.2", ours.real("ns0"))).status == 0);
    CHECK(run_shell(fmt::format("{} diff '{}' --name t --state-dir '{}'", kCli, testing::example("seed.sh"),
                                state.path()))
              .status == 0);
    CHECK(run_shell(fmt::format("{} down --name t --state-dir '{}'", kCli, state.path())).status == 0);
}

TEST_CASE("kernel: up again changes nothing, diff names a change by hand, up undoes only it", "[kernel][inspect]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    const std::string file = write_file(state.path(), "mesh.sh", mesh(4));
    auto r = run_shell(lab_cmd("up", lab, state, file));
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::string built = inspect(lab);
    CHECK(built.find("ip_forward") != std::string::npos);

    r = run_shell(lab_cmd("up", lab, state, file));
    CHECK(r.status == 0);
    CHECK(r.out == "lab 't' is already up as the file says: nothing changed\n");
    CHECK(inspect(lab) == built);  // MACs too: nothing was made again
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);

    const std::string m1 = lab.real("m1"), m3 = lab.real("m3");
    REQUIRE(run_shell(fmt::format("ip -n {} link set p1x2 mtu 1400", m1)).status == 0);
    REQUIRE(run_shell(fmt::format("ip -n {} addr del 10.1.3.2/30 dev p3x1", m3)).status == 0);
    REQUIRE(run_shell(fmt::format("ip netns exec {} sysctl -qw net.ipv4.conf.p3x4.rp_filter=2", m3)).status == 0);
    r = run_shell(lab_cmd("diff", lab, state, file));
    CHECK(r.status == 1);
    CHECK(r.out == fmt::format("{0}: p1x2: mtu 1400 on the kernel, 1500 in the file\n"
                               "{1}: p3x1: address 10.1.3.2/30 is missing\n"
                               "{1}: net.ipv4.conf.p3x4.rp_filter is 2 on the kernel, 0 in the file\n",
                               m1, m3));
    r = run_shell(lab_cmd("plan", lab, state, file));
    CHECK(r.out.find(fmt::format("ip -n {} link set p1x2 mtu 1500", m1)) != std::string::npos);
    r = run_shell(lab_cmd("up", lab, state, file));
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("lab 't' was up: 3 differences applied (3 operations"));
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);
    CHECK(inspect(lab) == built);
}

TEST_CASE("kernel: up of a lab from a changed file applies the difference, the journal follows", "[kernel][inspect]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    const std::string file = write_file(state.path(), "mesh.sh", mesh(3));
    auto r = run_shell(lab_cmd("up", lab, state, file));
    INFO(r.err);
    REQUIRE(r.status == 0);
    const std::string before = inspect(lab);
    write_file(state.path(), "mesh.sh", mesh(4));
    r = run_shell(lab_cmd("diff", lab, state, file));
    CHECK(r.status == 1);
    CHECK(r.out.starts_with(fmt::format("namespace {} is missing\n", lab.real("m4"))));
    r = run_shell(lab_cmd("up", lab, state, file));
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("lab 't' was up: "));
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);
    CHECK(lab.namespaces().size() == 4);
    // The three pairs that were there are the same links (their MACs did not change).
    const std::string after = inspect(lab);
    const auto mac_of = [](const std::string& yaml, const std::string& end) {
        const auto at = yaml.find("end: " + end + ", mac: ");
        return at == std::string::npos ? std::string() : yaml.substr(at, end.size() + 30);
    };
    CHECK_FALSE(mac_of(before, "m1:p1x2").empty());
    CHECK(mac_of(before, "m1:p1x2") == mac_of(after, "m1:p1x2"));
    // Back to three: m4 goes, and down removes exactly the rest.
    write_file(state.path(), "mesh.sh", mesh(3));
    r = run_shell(lab_cmd("up", lab, state, file));
    CHECK(r.status == 0);
    CHECK(lab.namespaces().size() == 3);
    r = run_shell(fmt::format("{} down --name t --state-dir '{}'", kCli, state.path()));
    CHECK(r.out == "lab 't' is down: removed 3 namespaces\n");
    CHECK(lab.namespaces().empty());
}

TEST_CASE("kernel: writing ip_forward sets conf.all.accept_redirects to !on, on a change only", "[kernel][inspect]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    const std::string script = "ip netns add a\n"
                               "ip netns exec a sysctl -w net.ipv4.ip_forward=1\n"
                               "ip netns exec a sysctl -w net.ipv4.conf.all.accept_redirects=1\n"
                               "ip netns exec a sysctl -w net.ipv4.ip_forward=1\n";
    NetState model;
    std::vector<std::string> seen;
    for (const auto& edit : testing::topology_from("fwd.sh", script).edits) {
        REQUIRE_FALSE(model.apply(edit.op));
        EditOp real = edit.op;
        REQUIRE(lab.localize(real));
        REQUIRE(run_shell(format_command(real)).status == 0);
        if (!std::holds_alternative<SysctlSet>(edit.op)) continue;
        const auto r = run_shell(fmt::format("ip netns exec {} cat /proc/sys/net/ipv4/conf/all/accept_redirects",
                                             lab.real("a")));
        INFO(edit.text);
        CHECK(r.out == model.sysctl_value(*model.ns("a"), "net.ipv4.conf.all.accept_redirects") + "\n");
        seen.push_back(r.out);
    }
    CHECK(seen == std::vector<std::string>{"0\n", "1\n", "1\n"});
}

TEST_CASE("kernel: a bridge lab reads back through inspect -- a port released by hand is named by diff, up restores it",
          "[kernel][inspect][bridge]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    auto r = run_shell(fmt::format("{} gen bridge 3", kCli));
    REQUIRE(r.status == 0);
    const std::string file = write_file(state.path(), "bridge.yaml", r.out);
    r = run_shell(lab_cmd("up", lab, state, file));
    INFO(r.err);
    REQUIRE(r.status == 0);

    // Inspect reads the bridge and each port's master back, without a warning, and the
    // simulator gives the inspected file the reach it gives the original.
    r = run_shell(fmt::format("{} inspect --netns-prefix {}", kCli, lab.prefix()));
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    const std::string seen = write_file(state.path(), "seen.yaml", r.out);
    CHECK(r.out.find("br0: {kind: bridge}") != std::string::npos);
    for (int i = 0; i < 3; ++i)
        CHECK(r.out.find(fmt::format("end: switch:to-ns{}, mac: ", i)) != std::string::npos);
    size_t ports = 0;
    for (auto at = r.out.find("master: br0"); at != std::string::npos; at = r.out.find("master: br0", at + 1)) ++ports;
    CHECK(ports == 3);
    const auto reach = [](const std::string& f) { return run_shell(fmt::format("{} reach '{}'", kCli, f)); };
    const auto original = reach(file);
    REQUIRE(original.status == 0);
    CHECK(original.out.find("ns1  rrr") != std::string::npos);
    CHECK(reach(seen).out == original.out);
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);

    // A port released by hand: diff names it, inspect no longer has it on the bridge,
    // up puts it back and nothing else.
    const std::string sw = lab.real("switch");
    REQUIRE(run_shell(fmt::format("ip -n {} link set to-ns1 nomaster", sw)).status == 0);
    r = run_shell(lab_cmd("diff", lab, state, file));
    CHECK(r.status == 1);
    CHECK(r.out == fmt::format("{}: to-ns1: master none on the kernel, br0 in the file\n", sw));
    r = run_shell(fmt::format("{} inspect --netns-prefix {}", kCli, lab.prefix()));
    const std::string released = write_file(state.path(), "released.yaml", r.out);
    // ns1 answers only itself: its ARP requests go nowhere (h: host unreachable).
    const std::string cut = reach(released).out;
    CHECK(cut.find("ns0  rhr") != std::string::npos);
    CHECK(cut.find("ns1  hrh") != std::string::npos);
    r = run_shell(lab_cmd("up", lab, state, file));
    CHECK(r.status == 0);
    CHECK(r.out.starts_with("lab 't' was up: 1 difference applied (1 operation"));
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);
    CHECK(run_shell(fmt::format("ip -n {} -o link show to-ns1", sw)).out.find("master br0") != std::string::npos);
    CHECK(run_shell(fmt::format("ip netns exec {} ping -c 1 -W 2 10.0.0.3", lab.real("ns1"))).status == 0);

    // A bridge MTU set by hand no longer follows the ports: inspect says so, diff names
    // it, up sets it back.
    REQUIRE(run_shell(fmt::format("ip -n {} link set br0 mtu 1400", sw)).status == 0);
    r = run_shell(fmt::format("{} inspect --netns-prefix {}", kCli, lab.prefix()));
    CHECK(r.out.find("ip -n switch link set br0 mtu 1400") != std::string::npos);
    r = run_shell(lab_cmd("diff", lab, state, file));
    CHECK(r.status == 1);
    CHECK(r.out == fmt::format("{}: br0: mtu 1400 on the kernel, 1500 in the file\n", sw));
    CHECK(run_shell(lab_cmd("up", lab, state, file)).status == 0);
    CHECK(run_shell(lab_cmd("diff", lab, state, file)).status == 0);
    CHECK(run_shell(fmt::format("{} down --name t --state-dir '{}'", kCli, state.path())).status == 0);
    CHECK(lab.namespaces().empty());
}
