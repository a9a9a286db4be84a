#pragma once
// The predicted reachability matrix: one ICMP echo from each namespace to each address,
// sent in waves of kProbeWave probes, each wave at one virtual instant (failures are
// awaited in parallel, as a real verification would) and given the timeout before the
// next leaves; each probe classified by how it ended.
#include <ostream>
#include <string>
#include <vector>

#include "model/netstate.hpp"
#include "model/probe_outcome.hpp"
#include "sim/kernel.hpp"

namespace vethlab::sim {

using Outcome = ProbeOutcome;  // shared with the kernel prober (model/probe_outcome.hpp)
using vethlab::to_string;

struct Probe {
    std::string ns;
    Ipv4 dst;
    std::string target;  // what dst is: "ns1:veth1"
};

struct ProbeResult {
    Probe probe;
    Outcome outcome = Outcome::silent;
    std::string detail;  // the connect error, or who sent the ICMP error
};

// Every namespace (not the host) to every address of every namespace (not 127/8).
std::vector<Probe> all_pairs(const NetState& state);
// Every namespace to the addresses at the far end of each of its veths.
std::vector<Probe> peer_probes(const NetState& state);

// Probes sent at one instant. A wave's events in flight (two or three per probe) are what
// a run holds at its peak: a million at once took 0.5 GB. Later waves meet the neighbour
// entries earlier ones left, as `vethlab verify`'s waves do on the kernel; nothing else
// of a probe's outcome depends on which wave it is in.
inline constexpr size_t kProbeWave = 65536;
// `reach`'s waves (Wait::answers): small, so that what a wave's probes touch in the
// namespaces at both ends (routes, neighbour entries, devices) is still in the CPU's cache
// when the wave's next hop comes back to it. Waves of 65,536 met it gone at each hop: the
// probes of the n = 1000 mesh took 4.5-5.7 s, in waves of 64-256 3.0-3.4 s (same machine,
// same minutes). Outcomes are the same at any size (tests/reach_waves_test.cpp).
inline constexpr size_t kReachWave = 128;

// How long a wave runs: its whole timeout (the kernel's state afterwards is what it is
// `timeout` after the probes left: `verify` compares neighbour caches so), or until every
// probe of it has its outcome (at most the timeout: `reach`, where only outcomes count and
// a million neighbour entries need not all go through their timers).
enum class Wait { timeout, answers };

// Runs the probes on the kernel twin, in waves; waits `timeout` of virtual time after
// each wave for its answers.
std::vector<ProbeResult> run_probes(Kernel& kernel, const std::vector<Probe>& probes, Time timeout = 4 * kSecond,
                                    Wait wait = Wait::timeout, size_t wave = kProbeWave);
// The same, moving each probe into its result (a million probes are not held twice).
std::vector<ProbeResult> run_probes(Kernel& kernel, std::vector<Probe>&& probes, Time timeout = 4 * kSecond,
                                    Wait wait = Wait::timeout, size_t wave = kProbeWave);

// A text matrix: rows are namespaces, columns addresses, cells the outcome's letter,
// with a legend.
std::string format_matrix(const std::vector<ProbeResult>& results);
// For peer probes, whose matrix would be almost all blank: one line per probe that did
// not get a reply ("ns0 -> 10.0.0.2 (ns1:veth1): host-unreachable from 10.0.0.1",
// "... no-route (connect: Network is unreachable)"), then
// a count ("6 probes: 5 replies, 1 without").
void write_peer_report(std::ostream& out, const std::vector<ProbeResult>& results);

}  // namespace vethlab::sim
