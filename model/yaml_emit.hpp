#pragma once
// Private to the YAML writer: a state described as YAML, and the comparison that checks
// the description rebuilds it.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/netstate.hpp"

namespace vethlab::yaml {

// (namespace, interface) whose MAC was given explicitly; other MACs are generated and
// may differ between two builds of the same topology.
using PinnedMacs = std::set<std::pair<std::string, std::string>>;

// A scalar as YAML: plain when that reads back as the same string, else double-quoted.
std::string yaml_scalar(std::string_view s);

// `namespaces:` and `veths:` describing every namespace but the host's, in `order` (the
// order they were created in; any other namespace follows by name); nullopt when the
// state has something the format cannot say (a veth end in the host namespace).
std::optional<std::string> describe_state(const NetState& state, const PinnedMacs& pinned,
                                          const std::vector<std::string>& order);

// The same namespaces, links (by name; ifindex ignored; MACs compared when pinned),
// addresses in order, routes (in the kernel's order, devices by name), sysctls and
// device conf.
bool same_state(const NetState& a, const NetState& b, const PinnedMacs& pinned);

}  // namespace vethlab::yaml
