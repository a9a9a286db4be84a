#include "shell.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace vethlab::testing {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

CommandResult run_shell(const std::string& command) {
    char err_path[] = "/tmp/vethlab-test-stderr-XXXXXX";
    const int fd = mkstemp(err_path);
    if (fd < 0) return {127, "", "mkstemp failed"};
    close(fd);
    CommandResult r;
    FILE* p = popen((command + " 2>" + err_path).c_str(), "r");
    if (!p) return {127, "", "popen failed"};
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    r.err = read_text_file(err_path);
    unlink(err_path);
    return r;
}

}  // namespace vethlab::testing
