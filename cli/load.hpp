#pragma once
// Reading a topology for a command: parse, apply, and report problems on stderr.
#include <optional>
#include <string>

#include "model/topology.hpp"

namespace vethlab::cli {

struct Loaded {
    Topology topology;
    Applied applied;
};

// Parses and applies FILE. On any problem prints `file:line:col: message` lines to
// stderr (or collects them for --json) and returns nullopt.
std::optional<Loaded> load_or_report(const std::string& path, Diagnostics* collect = nullptr);
void print_diagnostics(const Diagnostics& diags);

}  // namespace vethlab::cli
