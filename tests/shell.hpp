#pragma once
// Running a shell command from a test and capturing what it printed.
#include <string>

namespace vethlab::testing {

struct CommandResult {
    int status = 0;
    std::string out;
    std::string err;
};

// Runs `sh -c command`, capturing stdout and stderr.
CommandResult run_shell(const std::string& command);
std::string read_text_file(const std::string& path);

}  // namespace vethlab::testing
