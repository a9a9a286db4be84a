#pragma once
// Whether a fused plan ends where the topology's own edits end, according to the
// model: the same links (by name, with their peers, addresses, state, MTU, per-device
// sysctls), the same routes in the kernel's order and the same sysctls in every
// namespace. Interface indexes and generated MACs are left out: fusing changes the
// order in which links are made, and the kernel numbers and names them as it goes.
#include <string>
#include <vector>

#include "backend/plan.hpp"
#include "model/netstate.hpp"

namespace vethlab::backend {

std::string end_state_fingerprint(const NetState& st);

// Applies the steps' model edits to a fresh NetState; false if the model refuses one.
bool apply_steps(NetState& st, const std::vector<Step>& steps);

}  // namespace vethlab::backend
