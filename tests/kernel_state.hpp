#pragma once
// A namespace's kernel state as ip prints it, made comparable across labs: the lab
// prefix removed, generated MACs, bridge ids, timers and IPv6 link-local addresses masked, interfaces
// sorted by name and without their indexes. Carrier settles asynchronously (linkwatch
// may take a second), so settled_states waits up to 4 s for two labs to agree.
#include <string>
#include <utility>

#include "kernel_lab.hpp"

namespace vethlab::testing {

std::string kernel_state(const KernelLab& lab, const std::string& ns);
std::pair<std::string, std::string> settled_states(const KernelLab& a, const KernelLab& b, const std::string& ns);

}  // namespace vethlab::testing
