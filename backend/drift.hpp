#pragma once
// Drift: how the kernel's state (as inspected) differs from a file's, and the
// operations that make the kernel match -- what `vethlab diff` lists and what `up`
// runs on a lab that is already up. The operations are found by applying each one to
// a model of the kernel's state, so the kernel's own side effects (a deleted link
// takes its routes and its veth peer along, ip_forward sets accept_redirects) are
// seen before the next difference is looked for.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend/operation.hpp"
#include "backend/plan.hpp"
#include "model/result.hpp"
#include "model/topology.hpp"

namespace vethlab::backend {

// Links whose MAC the file sets: only their MAC is compared (others are random).
using PinnedLinks = std::set<std::pair<std::string, std::string>>;  // ns, link
PinnedLinks pinned_links(const Topology& topo, const NetState& want);

struct Drift {
    std::vector<std::string> differences;  // "ns1: veth1: mtu 1400 on the kernel, 1500 in the file"
    std::vector<Operation> ops;            // in order; namespace names as in the states
    bool empty() const { return differences.empty(); }
};

// want: the file's state; have: the kernel's, holding the namespaces that are there.
// Compared: want's namespaces (but the host's, "") and have's.
Drift find_drift(const NetState& want, const NetState& have, const PinnedLinks& pinned);

// The state the plan's operations build (namespace names as on the kernel).
NetState plan_state(const Plan& plan);

// The plan's state against the kernel's namespaces `live` (those of them that exist).
Result<Drift> lab_drift(const Topology& topo, const Plan& plan, const std::vector<std::string>& live);

}  // namespace vethlab::backend
