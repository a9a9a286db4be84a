#pragma once
// The YAML topology format (docs/topology-format.md): namespaces with their lo, links,
// routes and sysctls; veth pairs; and `steps`, ip commands run after the build.
#include <string>
#include <string_view>

#include "model/topology.hpp"

namespace vethlab {

// Compile a topology file to edits in the canonical order: namespaces, links (veths
// created in their namespaces, never in the host), addresses, link state, routes
// (replace), sysctls, then the steps in order. Every edit carries the file:line:col of
// the YAML it came from. Every problem found is reported, each with its location.
// Never throws.
Parsed parse_yaml_topology(std::string_view text, const std::string& file);
// The same, handing each compiled edit to `sink` instead of keeping them.
Diagnostics stream_yaml_topology(std::string_view text, const std::string& file, const EditSink& sink);

}  // namespace vethlab
