#pragma once
// What is done through files rather than netlink, in the calling thread's namespace
// (callers run these in a thread that joined the namespace): persistent taps through
// /dev/net/tun, sysctls through /proc/sys.
#include <string>

#include "backend/netlink.hpp"

namespace vethlab::backend {

// `ip tuntap add dev NAME mode tap`: TUNSETIFF (tap, no packet info), TUNSETPERSIST.
// Errors as ip prints them: "ioctl(TUNSETIFF): Device or resource busy".
Status make_persistent_tap(const std::string& name);

// `sysctl -w KEY=VALUE`, KEY with dots (net.ipv4.conf.veth0.rp_filter). Errors as
// procps sysctl prints them.
Status write_sysctl(const std::string& key, const std::string& value);

// net.ipv4.conf.eth0.100.rp_filter -> net/ipv4/conf/eth0.100/rp_filter
std::string sysctl_path(const std::string& key);

}  // namespace vethlab::backend
