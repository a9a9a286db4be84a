#pragma once
// Whether this process may change network namespaces (CAP_NET_ADMIN and CAP_SYS_ADMIN
// in its effective set), and a sentence saying what is missing.
#include <optional>
#include <string>

namespace vethlab::backend {

// nullopt when both capabilities are there; else e.g. "needs CAP_NET_ADMIN and
// CAP_SYS_ADMIN (run as root, e.g. with sudo)".
std::optional<std::string> missing_privileges();

}  // namespace vethlab::backend
