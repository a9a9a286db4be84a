#pragma once
// A namespace's kernel state as ip prints it, made comparable across labs: the lab
// prefix removed, generated MACs and IPv6 link-local addresses masked, interfaces
// sorted by name and without their indexes. Carrier settles asynchronously, so
// settled_state waits (up to 4 s) for two equal snapshots in a row, or for `expected`.
#include <string>

#include "kernel_lab.hpp"

namespace vethlab::testing {

std::string kernel_state(const KernelLab& lab, const std::string& ns);
std::string settled_state(const KernelLab& lab, const std::string& ns, const std::string& expected = "");

}  // namespace vethlab::testing
