#pragma once
// The JSON form of a topology's state (for --json).
#include <nlohmann/json.hpp>

#include "model/netstate.hpp"

namespace vethlab::cli {

nlohmann::json state_to_json(const NetState& state);
nlohmann::json diagnostics_to_json(const Diagnostics& diags);

}  // namespace vethlab::cli
