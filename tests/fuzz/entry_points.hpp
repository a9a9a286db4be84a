#pragma once
// What each fuzz target does with one input, shared by the libFuzzer targets
// (tests/fuzz/fuzz_*.cpp) and the regression test in every normal build
// (tests/fuzz_regression_test.cpp), so a reproducer runs through the same code in both.
// Each returns 0 (fine), -1 (input not worth keeping: fuzz_sim's bound) or 1 (a property
// broken; the fuzz target aborts so libFuzzer keeps the input).
#include <cstddef>
#include <string>
#include <string_view>

#include "model/ip_script.hpp"
#include "model/ipv4.hpp"
#include "model/mac.hpp"
#include "model/yaml_reader.hpp"
#include "sim/script_runner.hpp"

namespace vethlab::fuzz {

// The YAML topology loader: edits or diagnostics, each said in words; well-formed results
// are applied to the configuration model, which refuses bad edits with a message.
inline int yaml(std::string_view text) {
    const Parsed p = parse_yaml_topology(text, "fuzz.yaml");
    for (const auto& d : p.errors)
        if (d.message.empty()) return 1;
    if (p.ok()) (void)apply_all(p.topology);
    return 0;
}

// The ip-command script parser and the shell lexer under it: every error and every edit
// points into the script (line >= 1); the edits are applied to the configuration model.
inline int ip_script(std::string_view text) {
    const Parsed p = parse_ip_script(text, "fuzz.sh");
    for (const auto& d : p.errors)
        if (d.message.empty() || d.loc.line < 1 || d.loc.col < 0) return 1;
    for (const auto& e : p.topology.edits)
        if (e.loc.line < 1) return 1;
    (void)apply_all(p.topology);
    return 0;
}

// Ipv4, Prefix, IfAddr, parse_broadcast and Mac: an accepted value prints to a text that
// parses back to the same value. "ADDR/LEN BRD" also tries BRD as the broadcast of ADDR.
inline int values(std::string_view text) {
    if (auto a = Ipv4::parse(text)) {
        auto back = Ipv4::parse(a->str());
        if (!back || *back != *a) return 1;
    }
    if (auto p = Prefix::parse(text)) {
        auto back = Prefix::parse(p->str());
        if (p->len() < 0 || p->len() > 32 || !back || *back != *p) return 1;
    }
    auto ifa = IfAddr::parse(text);
    if (ifa) {
        auto back = IfAddr::parse(ifa->str());
        if (ifa->len() < 0 || ifa->len() > 32 || !back || *back != *ifa) return 1;
    }
    if (auto m = Mac::parse(text)) {
        auto back = Mac::parse(m->str());
        if (m->is_multicast() || !back || *back != *m) return 1;
    }
    const size_t space = text.find(' ');
    if (space != std::string_view::npos) {
        if (auto a = IfAddr::parse(text.substr(0, space))) (void)parse_broadcast(text.substr(space + 1), *a);
    } else if (ifa) {
        (void)parse_broadcast("+", *ifa);
        (void)parse_broadcast("-", *ifa);
    }
    return 0;
}

// The simulator fed with parsed scripts: an ip-command script (or, when the input starts
// with "#yaml", a YAML topology) replayed edit by edit on the kernel twin, observations
// included (ping, sleep, ip route/addr/link/neigh, route -n). The product bounds one
// command's work (at most kPingMaxProbes probes, a day of virtual time); the bounds here
// (edits, probes in all) only keep one input well under a second under the sanitizers.
inline constexpr size_t kSimMaxEdits = 300;
inline constexpr double kSimMaxProbes = 2000;
inline int sim(std::string_view text) {
    const Parsed p = text.starts_with("#yaml") ? parse_yaml_topology(text, "fuzz.yaml")
                                               : parse_ip_script(text, "fuzz.sh");
    if (p.topology.edits.empty() || p.topology.edits.size() > kSimMaxEdits) return -1;
    double probes = 0;
    for (const auto& e : p.topology.edits)
        if (const auto* ping = std::get_if<Ping>(&e.op)) probes += ping->probes();
    if (probes > kSimMaxProbes) return -1;
    (void)sim::replay(p.topology, true);
    return 0;
}

}  // namespace vethlab::fuzz
