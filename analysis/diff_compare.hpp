#pragma once
// Comparing what one command printed in the simulator with what it printed on the
// kernel: a change accepted or refused alike (same message), an observation printing
// the same text once what legitimately differs is put in a normal form -- times
// (ping's time=, rtt, the summary's time), random MACs, the hash order of `ip neigh`.
#include <optional>
#include <string>
#include <vector>

#include "model/edit.hpp"

namespace vethlab::analysis {

// What a command did on one side: printed text, exit status, refused (changes only).
struct CommandOutput {
    std::string out;
    int status = 0;
    // The side's clock when the command started, in seconds (kernel: /proc/uptime; the
    // twin: virtual time); -1 when unknown.
    double clock = -1;
    // `ip neigh` on the twin: entries ("IP dev DEV") whose state may legitimately differ
    // on the kernel -- a timer of theirs fires, or fired, within the clocks' disagreement
    // plus 0.3 s, or the kernel's random reachable_time may have run out (diff_run.cpp).
    std::vector<std::string> unsettled;
};

struct CompareOptions {
    // Neighbour entries are compared exactly (state and address) except, without strict,
    // the twin's unsettled ones (CommandOutput::unsettled): the kernel draws
    // reachable_time at random and its clock runs on while the shell works, so a state
    // change near a timer's end falls on either side; those are compared by address and
    // device only.
    //
    // Without strict, a veth's operstate DOWN and LOWERLAYERDOWN agree too: the kernel
    // latches it when the device's last carrier event ran (link_watch.c
    // default_operstate looks the peer's ifindex up in the device's own namespace, so a
    // device created later under that ifindex changes what the next event computes);
    // the simulator computes it from the present state. Open disagreement.
    bool strict = false;
    // The twin's virtual clock is moved on to the kernel's (as /proc/uptime read before each
    // command, from the first) before each command it is behind (diff_run.cpp).
    bool follow_clock = true;
};

struct Mismatch {
    std::string what;  // "refused on one side", "message", "output", "exit status"
    std::string sim;   // the simulator's side, normalised
    std::string kernel;
};

// nullopt when the two sides agree on this command.
std::optional<Mismatch> compare_command(const Edit& edit, const CommandOutput& sim, const CommandOutput& kernel,
                                        const CompareOptions& opt = {});

// The normal forms (exposed for tests).
std::string normalise_ping(const std::string& text);
std::string normalise_neigh(const std::string& text, const std::vector<std::string>& unsettled = {});
std::string normalise_link(const std::string& text, bool strict);
std::string mask_macs(const std::string& text);
// A kernel `ip link`/`ip addr` dump without the "Error: Peer netns reference is invalid."
// lines iproute2 prints while other namespaces come and go (see diff_compare.cpp).
std::string strip_dump_noise(std::string text);
// `bridge fdb show`: the bridges' own entries (" master "), MACs masked; the kernel's
// `self` lines (the devices' multicast and unicast lists) are not modelled.
std::string normalise_fdb(const std::string& text);

}  // namespace vethlab::analysis
