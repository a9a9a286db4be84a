#pragma once
// Random small cases for the differential test of simulator against kernel: a seeded
// generator of topologies (2-4 namespaces joined by veth pairs, sometimes a tap) and of
// edit sequences, written as an ip script whose observations (ping, ip route, ip neigh,
// ip link, ip addr, route -n) are compared line by line.
//
// One seed always gives the same script. The features the issue lists all occur:
// lo up or down, links down, veth peer down, taps without carrier, missing and wrong
// routes, `ip route change` to another device, gateways, metrics and ties, forwarding
// on and off with routers, addresses held on other interfaces (weak host), overlapping
// subnets, blackhole / unreachable / prohibit routes, rp_filter and arp_ignore, routes
// to nowhere.
//
// With `bridges`, some cases then get a Linux bridge section, drawn from a second random
// stream appended after the script above, so the script of a seed without bridges is a
// prefix of the script with them (old seeds keep their lines): one or two bridges, veth
// ends enslaved with `master` and released with `nomaster`, bridges and ports up and
// down, addresses on a bridge and addresses left on a port, pings across the bridge and
// `bridge fdb show`. (The kernel side, backend::CommandLab, switches IPv6 off in its
// namespaces, so no ND or MLD frame teaches the kernel's bridges what the simulator's
// never see; the model has no IPv6 sysctls to say so in the script.)
#include <cstdint>
#include <string>

namespace vethlab::analysis {

struct CaseOptions {
    // Pings wait this long for an answer (-W). A few cases per hundred wait 4 s instead,
    // long enough to see ARP give up (3 s) and the host unreachable that follows.
    double ping_wait = 0.3;
    int slow_cases_per_100 = 10;
    int steps = 10;  // edits and observations after the topology is built (about)
    bool bridges = true;  // false: the generator as it was before bridges (fuzz-diff --no-bridges)
};

std::string generate_case(uint64_t seed, const CaseOptions& opt = {});

}  // namespace vethlab::analysis
