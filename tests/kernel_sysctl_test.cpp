// Every sysctl the model knows, written with awkward values on the model and on the
// kernel: each must be accepted or refused alike (with sysctl's message), and what
// `sysctl -n` then reads back must be what the model stores -- the proc handlers'
// ranges, bases ("0x1f", "010"), jiffy rounding and 32-bit truncation
// (model/netstate_sysctl.cpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernel_lab.hpp"
#include "model/ip_script.hpp"
#include "model/netstate.hpp"

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
