// Every sysctl the model knows, written with awkward values on the model and on the
// kernel: each must be accepted or refused alike (with sysctl's message), and what
// `sysctl -n` then reads back must be what the model stores -- the proc handlers'
// ranges, bases ("0x1f", "010"), jiffy rounding and 32-bit truncation
// (model/netstate_sysctl.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/netstate.hpp"
#include "sim/script_runner.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;

namespace {

// Values that tell the handlers apart: ranges, overflow at 32 and 64 bits, the jiffies
// limit (INT_MAX / 250 = 8589934), bases, signs, spaces and the 20-character limit.
const std::vector<std::string> kValues = {
    "1",          "0",           "-1",          "2",           "3",           "7",
    "255",        "256",         "1001",        "2147483647",  "2147483648",  "-2147483648",
    "-2147483649", "4294967296", "-4294967296", "99999999999", "8589934",     "8589935",
    "-8589935",   "0x1f",        "0X10",        "010",         "08",          "0x",
    "+5",         "-0",          "5x",          " 5",          "5 ",          "5 6",
    "00000000000000000007", "000000000000000000007", "18446744073709551616",
};
// devinet_conf_proc is one handler for all of conf.*: fewer values there.
const std::vector<std::string> kConfValues = {"1", "-1", "2147483648", "-2147483648", "0x1f", "010", "08", "-0"};

// Every net.ipv4 value of the namespace, in one `sysctl net.ipv4` ("key = value" lines).
std::map<std::string, std::string> kernel_values(const KernelLab& lab, const std::string& ns) {
    std::map<std::string, std::string> out;
    std::istringstream in(testing::run_shell("ip netns exec " + lab.real(ns) + " sysctl net.ipv4 2>/dev/null").out);
    for (std::string line; std::getline(in, line);)
        if (const auto eq = line.find(" = "); eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 3);
    return out;
}

std::string kernel_value(const KernelLab& lab, const std::string& ns, const std::string& key) {
    std::string out = testing::run_shell("ip netns exec " + lab.real(ns) + " sysctl -n " + key).out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace

TEST_CASE("kernel: every known sysctl accepts, refuses and reads back values as the kernel does", "[kernel][netstate]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    NetState st;
    Parsed setup = parse_ip_script("ip netns add s\nip -n s link add v0 type veth peer name v1\n", "setup.sh");
    REQUIRE(setup.ok());
    for (const auto& e : setup.topology.edits) testing::apply_on_both(lab, st, e);
    const Namespace& s = *st.ns("s");
    size_t refused = 0, rounded = 0;
    for (const auto& key : known_sysctl_keys({"v0"})) {
        const bool conf = key.starts_with("net.ipv4.conf.");
        for (const auto& value : conf ? kConfValues : kValues) {
            INFO(key << "=[" << value << "]");
            const Edit e{SysctlSet{"s", key, value}, {}, "sysctl -w " + key + "=" + value};
            const auto accepted = !st.apply(SysctlSet{"s", key, value});
            testing::apply_on_both(lab, st, e);  // applied twice to the model: it is a set
            refused += !accepted;
            const std::string model = st.sysctl_value(s, key);
            CHECK(model == kernel_value(lab, "s", key));
            rounded += accepted && model != value;
        }
    }
    // ip_forward and conf.all.forwarding also set the others: all of them, at the end.
    for (const auto& key : known_sysctl_keys({"v0", "v1"})) {
        INFO(key);
        CHECK(st.sysctl_value(s, key) == kernel_value(lab, "s", key));
    }
    CHECK(refused > 100);  // the sweep met the refusals
    CHECK(rounded > 50);   // and values the kernel stores otherwise than written
}

TEST_CASE("kernel: conf.default reaches the devices that have no address and never had the knob written",
          "[kernel][netstate]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    // a0 gets an address (every knob its own: ipv4_devconf_setall), b0 one that is then
    // deleted, c0 a refused write of one knob, s's lo goes up (127.0.0.1: setall too); a1
    // and t's lo stay as created, d0 comes later, a1 moves to t.
    Parsed p = parse_ip_script(R"(ip netns add s
ip netns add t
ip -n s link set lo up
ip -n s link add a0 type veth peer name a1
ip -n s addr add 10.0.0.1/24 dev a0
ip -n s link add b0 type veth peer name b1 netns t
ip -n s addr add 10.0.1.1/24 dev b0
ip -n s addr del 10.0.1.1/24 dev b0
ip -n s link add c0 type veth peer name c1
ip netns exec s sysctl -w net.ipv4.conf.c0.arp_ignore=x
ip -n s addr add 10.0.0.1/24 dev a0
ip -n s addr del 10.0.9.9/24 dev a1
ip netns exec s sysctl -w net.ipv4.conf.default.rp_filter=2
ip netns exec s sysctl -w net.ipv4.conf.default.arp_ignore=1
ip netns exec s sysctl -w net.ipv4.conf.default.route_localnet=1
ip netns exec s sysctl -w net.ipv4.conf.default.forwarding=1
ip -n s link add d0 type veth peer name d1
ip -n s link set a1 netns t
ip netns exec t sysctl -w net.ipv4.conf.default.send_redirects=0
ip -n t addr add 10.0.2.1/24 dev b1
ip netns exec s sysctl -w net.ipv4.conf.default.accept_redirects=0
ip netns exec t sysctl -w net.ipv4.conf.default.log_martians=1
)", "default.sh");
    REQUIRE(p.ok());
    KernelLab lab;
    NetState st;
    for (const auto& e : p.topology.edits) testing::apply_on_both(lab, st, e);
    size_t followed = 0;
    for (const std::string ns : {"s", "t"}) {
        const Namespace& n = *st.ns(ns);
        std::vector<std::string> devices;
        for (const auto& l : n.links) devices.push_back(l.name);
        const auto kernel = kernel_values(lab, ns);
        for (const auto& key : known_sysctl_keys(devices)) {
            INFO(ns << ": " << key);
            REQUIRE(kernel.count(key));
            CHECK(st.sysctl_value(n, key) == kernel.at(key));
        }
        for (const auto& l : n.links) followed += !conf_own(l, "rp_filter") && l.conf.count("rp_filter");
    }
    CHECK(followed >= 2);  // c0 and c1 took conf.default's rp_filter when it was written
}

TEST_CASE("kernel: a refused sysctl exits as vethlab sim says", "[kernel][netstate]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    sim::ScriptRunner twin;
    Parsed p = parse_ip_script("ip netns add s\n"
                               "ip netns exec s sysctl -w net.ipv4.ip_default_ttl=0\n"
                               "ip netns exec s sysctl -w net.ipv4.conf.nope.rp_filter=1\n"
                               "ip netns exec s sysctl -w net.ipv4.ip_forward=1\n",
                               "exit.sh");
    REQUIRE(p.ok());
    for (const auto& e : p.topology.edits) {
        INFO(e.text);
        EditOp real = e.op;
        REQUIRE(lab.localize(real));
        const auto kernel = testing::run_shell(format_command(real));
        const auto predicted = twin.run(e);
        CHECK(predicted.exit_code == kernel.status);
        CHECK(predicted.refused == (kernel.status != 0));
    }
}
