#pragma once
// Scenarios the simulator and the kernel both run: an ip script (namespaces only, never
// the host), then pings whose outcome must agree.
#include <string>
#include <vector>

namespace vethlab::testing {

struct PingCheck {
    std::string ns;
    std::string args;  // ping's arguments, e.g. "-c 3 -i 0.2 10.0.0.2"
};

struct Scenario {
    std::string name;
    std::string script;
    std::vector<PingCheck> pings;
};

const std::vector<Scenario>& sim_scenarios();

// The seed article built without touching the host: taps with the addresses, a veth pair
// without any, routes through the taps until `ip route change`.
const std::string& seed_script();

// Two namespaces a and b, veth0 (10.0.0.1/24) -- veth1 (10.0.0.2/24), both up; lo down.
const std::string& pair_script();

// a -- r -- b: a (10.1.0.1/24) and b (10.2.0.1/24) on veths to the router r (.254 on
// both), every lo up, a's default route via r; b has no route back yet and r does not
// forward yet.
const std::string& line_script();

// Veths whose peers sit in other namespaces, down: their operstate depends on which
// unrelated device holds the peer's ifindex in their own namespace (DOWN or
// LOWERLAYERDOWN). Used by the printer tests on the model and on the kernel.
const std::string& remote_peer_down_script();

}  // namespace vethlab::testing
