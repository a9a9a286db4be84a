#pragma once
// What `up` will do: the topology's edits as Netlink operations, in order, with two
// fusions. A link the script creates in the host's namespace and then moves away is
// created directly in its final namespace(s) at the point of its last move (the host
// namespace is never touched); and a new link's later `up` is folded into its creation
// when the model says the end state is the same. Anything that would leave or change
// something in the host's own namespace, or touch a namespace the script does not
// create, is refused before anything is done.
#include <string>
#include <vector>

#include "backend/operation.hpp"
#include "model/topology.hpp"

namespace vethlab::backend {

struct Step {
    Operation op;
    std::vector<size_t> edits;  // the topology's edits it stands for; the first is blamed
};

struct Plan {
    std::vector<Step> steps;
    Diagnostics refusals;                  // the plan must not run when there are any
    std::vector<size_t> observations;      // ping, show ...: not run by `up`
    std::vector<std::string> namespaces;   // created by the plan (kernel names), in order
    // Links the script creates in the host namespace (created elsewhere by the plan):
    // the host must not have one of that name already, or the script would fail there.
    std::vector<std::pair<std::string, size_t>> host_names;  // name, edit
};

// `prefix` goes in front of every namespace name. The topology's edits must be ones
// the model accepts (apply_all without errors).
Plan make_plan(const Topology& topo, const std::string& prefix);

// "22, 24, 25": the distinct source lines of some edits, in order.
std::string edit_lines(const Topology& topo, const std::vector<size_t>& edits);

// The plan as a shell script of ip commands (`vethlab plan`).
std::string format_plan(const Topology& topo, const Plan& plan);

}  // namespace vethlab::backend
