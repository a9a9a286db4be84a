#include "cli/heap_tuning.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vethlab::cli {

void use_huge_page_heap() {
    if (std::getenv("VETHLAB_NO_HUGE_HEAP")) return;
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    const std::string current = tunables ? tunables : "";
    if (current.find("glibc.malloc.hugetlb") != std::string::npos) return;  // the user decided, or done
    // Only where the kernel offers transparent huge pages on request.
    std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
    const std::string modes((std::istreambuf_iterator<char>(thp)), std::istreambuf_iterator<char>());
    if (modes.find("[always]") == std::string::npos && modes.find("[madvise]") == std::string::npos) return;
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    const std::string raw((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (raw.empty()) return;
    std::vector<std::string> args;
    for (size_t at = 0; at < raw.size();) {
        const size_t end = raw.find('\0', at);
        args.push_back(raw.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string value = current.empty() ? "glibc.malloc.hugetlb=1" : current + ":glibc.malloc.hugetlb=1";
    if (::setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
    ::execv("/proc/self/exe", argv.data());
    // Could not restart: go on with 4 KiB pages, and leave the environment as it was.
    if (tunables) ::setenv("GLIBC_TUNABLES", current.c_str(), 1);
    else ::unsetenv("GLIBC_TUNABLES");
}

}  // namespace vethlab::cli
