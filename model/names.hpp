#pragma once
// Names the kernel and iproute2 accept: interface names (dev_valid_name) and
// namespace names (a file under /run/netns).
#include <optional>
#include <string>
#include <string_view>

namespace vethlab {

inline constexpr int kIfNameMax = 15;  // IFNAMSIZ - 1

// The initial (host) namespace: commands run without `-n`/`ip netns exec`.
inline const std::string kInitNs;  // empty name
std::string ns_display(std::string_view ns);  // "ns0", or "(host)" for the initial one

// nullopt when valid, else why not (e.g. "interface name 'x…' is 17 bytes; Linux allows 15").
std::optional<std::string> check_ifname(std::string_view name);
std::optional<std::string> check_netns_name(std::string_view name);

}  // namespace vethlab
