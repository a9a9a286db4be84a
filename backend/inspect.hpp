#pragma once
// Inspect: live namespaces as a topology. The kernel's state (kernel_reader) becomes
// the edits that rebuild it -- namespaces, links with their veth peers across
// namespaces, link state, addresses in the kernel's order, routes the kernel did not
// derive from addresses, and the sysctls whose value the model would not give -- so
// the model, the simulator and the YAML writer work on what is deployed.
#include <string>
#include <vector>

#include "backend/kernel_reader.hpp"
#include "model/topology.hpp"

namespace vethlab::backend {

struct Inspected {
    Topology topology;                  // names without strip_prefix
    NetState state;                     // its edits applied
    std::vector<std::string> warnings;  // what could not be described, one line each
};

// Kernel namespaces that do not start with strip_prefix keep their whole name.
Inspected inspect(const std::vector<KernelNs>& spaces, const std::string& strip_prefix);

// read_namespaces, then inspect.
Result<Inspected> inspect_kernel(const std::vector<std::string>& names, const std::string& strip_prefix);

}  // namespace vethlab::backend
