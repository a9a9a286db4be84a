#pragma once
// Topology -> YAML (docs/topology-format.md), for `vethlab import` and `export --to yaml`.
#include <string>

#include "model/topology.hpp"

namespace vethlab {

// The state built by the edits before the first observation (refused edits skipped),
// described declaratively, then the remaining edits as `steps`. When the declarative
// form does not rebuild that state exactly (checked by parsing and applying it), every
// edit becomes a step instead. Deterministic and stable: write(parse(write(x))) == write(x).
std::string write_yaml_topology(const Topology& topo);

}  // namespace vethlab
