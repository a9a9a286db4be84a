#pragma once
// The ip-command script reader: the bash subset of the seed article (ip, ping,
// route -n, sysctl, echo > /proc/sys/...) parsed to edits, with every problem reported
// at its line and column. Abbreviations follow iproute2's own prefix matching.
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/result.hpp"
#include "model/route.hpp"
#include "model/topology.hpp"

namespace vethlab {

// A whole script. Collects every error; a command with an error gives no edit.
// Parsed.topology.file = file; locations are file:line:column (1-based).
Parsed parse_ip_script(std::string_view text, const std::string& file);
// The same, handing each edit to `sink` as soon as its command is read instead of
// keeping them all; returns the errors parse_ip_script would. Nothing of the script is
// held but the text, so a million-line script costs its size, not its edits.
Diagnostics stream_ip_script(std::string_view text, const std::string& file, const EditSink& sink);

// One command (e.g. a YAML step). Errors are reported on at.line, at column
// at.col + offset in `command`. A command with no edit at all is an error.
Parsed parse_ip_command(std::string_view command, const SourceLoc& at);

// The words after `ip route add|change|replace|append|del`, e.g.
// {"10.0.0.0/24", "via", "0.0.0.0", "dev", "veth0"}. The first problem is returned.
Result<RouteSpec> parse_route_spec(const std::vector<std::string>& words);

}  // namespace vethlab
