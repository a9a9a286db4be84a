#pragma once
// Edits as runnable shell commands: `ip -n NS ...` for ip, `ip netns exec NS ...` for
// ping, route -n and sysctl. parse_ip_command(format_command(op)) gives op back.
#include <string>
#include <string_view>
#include <vector>

#include "model/edit.hpp"

namespace vethlab {

// One shell line. A tap with a namespace, MTU, MAC or state needs a second command
// (`ip tuntap add ... && ip link set ...`); a loopback is never created and formats
// as a `:` no-op comment.
std::string format_command(const EditOp& op);

// A /bin/sh script: `#!/bin/sh`, the comment (each line prefixed "# "), `set -e`, one
// command a line; observations end with ` || true` (a failing ping is an answer).
std::string write_ip_script(const std::vector<Edit>& edits, std::string_view header_comment);

// A word as the shell reads it back: unchanged when safe, else in single quotes.
std::string shell_quote(std::string_view word);

}  // namespace vethlab
