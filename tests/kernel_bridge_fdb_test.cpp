// `bridge fdb show` in the simulator against the kernel: every MAC pinned and IPv6 off
// in the namespaces (no ND or MLD frames to learn from), so the forwarding database is
// the same on both after the same pings; the kernel's `self` lines are left out.
#include <catch2/catch.hpp>

#include <sstream>

#include <fmt/format.h>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "sim/script_runner.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;

namespace {

std::string master_lines(const std::string& text) {
    std::istringstream in(text);
    std::string out, line;
    while (std::getline(in, line))
        if (line.find(" master ") != std::string::npos) out += line + "\n";
    return out;
}

std::string fdb_script() {
    std::string s = "ip netns add sw\nip -n sw link add br0 type bridge\nbridge -n sw fdb show br br0\n";
    int i = 1;
    for (const char* h : {"a", "b", "c"}) {
        s += fmt::format(
            "ip netns add {0}\n"
            "ip -n sw link add v{0} address 02:00:00:00:00:0{1} type veth peer name p{0} netns {0} "
            "address 02:00:00:00:01:0{1}\n"
            "ip -n sw link set v{0} master br0\nip -n sw link set v{0} up\n"
            "ip -n {0} addr add 10.0.0.{1}/24 dev p{0}\nip -n {0} link set p{0} up\n",
            h, i++);
    }
    return s +
           "ip -n sw addr add 10.0.0.254/24 dev br0\nip -n sw link set br0 up\n"
           "bridge -n sw fdb show br br0\n"
           "ip netns exec a ping -c 1 -W 1 10.0.0.2\n"
           "bridge -n sw fdb show br br0\n"
           "ip netns exec c ping -c 1 -W 1 10.0.0.254\n"
           "ip netns exec sw ping -c 1 -W 1 10.0.0.1\n"
           "bridge -n sw fdb show\n"
           "ip -n sw link set vb nomaster\n"
           "bridge -n sw fdb show br br0\n"
           "ip -n sw link set br0 address 02:00:00:00:00:42\n"
           "ip -n c link set pc down\n"
           "bridge -n sw fdb show br br0\n"
           "bridge -n sw fdb show br vb\n"
           "ip -n sw link del va\n"
           "ip -n sw link set vc nomaster\n"
           "bridge -n sw fdb show\n";
}

}  // namespace

TEST_CASE("kernel: bridge fdb show after the same pings, as on the kernel", "[kernel][bridge][sim]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    sim::ScriptRunner runner;
    Parsed parsed = parse_ip_script(fdb_script(), "fdb.sh");
    REQUIRE(parsed.ok());
    int shows = 0;
    for (const auto& e : parsed.topology.edits) {
        EditOp op = e.op;
        REQUIRE(lab.localize(op));
        const auto real = run_shell(format_command(op));
        const sim::StepResult predicted = runner.run(e);
        INFO(e.text << "\nkernel said:\n" << real.out << real.err);
        if (const auto* ns = std::get_if<NetnsAdd>(&e.op))  // before any device: the defaults too
            REQUIRE(run_shell("ip netns exec " + lab.real(ns->name) +
                              " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1")
                        .status == 0);
        const auto* show = std::get_if<Show>(&e.op);
        if (!show) {
            CHECK(predicted.refused == (real.status != 0));
            continue;
        }
        if (show->what != ShowWhat::bridge_fdb) continue;
        ++shows;
        // Before its first port a bridge's MAC is random on both.
        const std::string kernel_lines = master_lines(real.out);
        if (shows == 1) {
            CHECK(kernel_lines.ends_with(" dev br0 master br0 permanent\n"));
            CHECK(predicted.output.ends_with(" dev br0 master br0 permanent\n"));
            continue;
        }
        CHECK(lab.unlocalize(kernel_lines) == predicted.output);
        CHECK(real.status == predicted.exit_code);
    }
    CHECK(shows == 8);
}
