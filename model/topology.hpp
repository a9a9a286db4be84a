#pragma once
// A topology: where it came from and its ordered edits. Parsers produce it; the state
// after its edits, its validation and its graph view are derived from it.
#include <functional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/edit.hpp"
#include "model/netstate.hpp"

namespace vethlab {

struct Topology {
    std::string file;  // as given on the command line; used in diagnostics
    std::vector<Edit> edits;
};

// Where a streaming reader hands its edits, one at a time, in order.
using EditSink = std::function<void(Edit&&)>;

// What a parser returns: the topology and every problem found (empty = well formed).
struct Parsed {
    Topology topology;
    Diagnostics errors;
    bool ok() const { return errors.empty(); }
};

// Apply every edit in order; each refused edit becomes a diagnostic at its location
// (the kernel's or ip's own message). Observations are checked, not run.
struct Applied {
    NetState state;
    Diagnostics errors;
};
Applied apply_all(const Topology& topo);

// Read a file by content: YAML or an ip-command script. Never throws.
Parsed load_topology(const std::string& path);
// The same, handing each edit to `sink` as soon as it is read (a huge file's edits are
// never all held); returns load_topology's errors. Edits before an error are handed
// over too: a caller that gets errors back discards what it built.
Diagnostics stream_topology(const std::string& path, const EditSink& sink);
// Parse and validate in one go: syntax errors, then refused edits, then static checks.
Parsed check_topology(const std::string& path);

}  // namespace vethlab
