#pragma once
// Graphviz DOT of a topology: namespaces as boxes listing their non-veth interfaces,
// veth pairs as edges labelled with both ends' names and addresses.
#include <string>

#include "model/netstate.hpp"

namespace vethlab {

std::string write_dot(const NetState& state, const std::string& title);

}  // namespace vethlab
