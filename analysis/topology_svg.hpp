#pragma once
// A drawing of a topology as self-contained SVG: namespaces as labelled circles placed by
// a spring layout, veth pairs as lines (curves when two namespaces share several pairs,
// loops when both ends are in one namespace), labelled with device names and addresses
// while the drawing is small enough to read them.
#include <string>

#include "model/netstate.hpp"

namespace vethlab::analysis {

// Each namespace is a <g class="namespace" data-name="NS">, each veth pair a
// <g class="veth" data-a="NS:IF" data-b="NS:IF">.
std::string topology_svg(const NetState& state, const std::string& title);

}  // namespace vethlab::analysis
