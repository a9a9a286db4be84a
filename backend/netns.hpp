#pragma once
// Network namespaces the way iproute2 keeps them: a file /run/netns/NAME with the
// namespace bind-mounted on it, /run/netns itself a shared mount, so `ip netns list`,
// `ip netns exec` and `ip -n` work on them. The calling thread never changes
// namespace: anything that must run inside one runs in a short-lived thread that
// joined it (setns), and leaves with that thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "backend/unique_fd.hpp"
#include "model/result.hpp"

namespace vethlab::backend {

inline constexpr const char* kNetnsRunDir = "/run/netns";

std::string netns_path(const std::string& name);  // /run/netns/NAME

// Like `ip netns add NAME`; `inside`, if given, runs in the creating thread while it is
// in the new namespace (e.g. to open a netlink socket there). Returns a descriptor of
// the namespace, or the message ip prints, e.g.
// `Cannot create namespace file "/run/netns/x": File exists`.
Result<UniqueFd> create_netns(const std::string& name, const std::function<void()>& inside = {});

// Like `ip netns del NAME`: detach the bind mount, remove the file. nullopt on success.
std::optional<std::string> delete_netns(const std::string& name);

// `Cannot open network namespace "x": No such file or directory` when there is none.
Result<UniqueFd> open_netns(const std::string& name);

bool netns_exists(const std::string& name);

// The namespace's identity (the nsfs inode) as seen through /run/netns/NAME; nullopt
// when the file is missing or nothing is mounted on it.
std::optional<uint64_t> netns_inode(const std::string& name);

// The namespace's 64-bit id from the NS_GET_ID ioctl (Linux 6.18 and later), never
// reused while the machine runs -- unlike the nsfs inode, which a namespace created
// later may get again. nullopt when the file is missing, nothing is mounted on it, or
// the kernel is older.
std::optional<uint64_t> netns_unique_id(const std::string& name);

// Runs fn in a new thread that joined the namespace `ns_fd`; returns once it is done.
// nullopt on success, else why the thread could not join.
std::optional<std::string> run_in_netns(int ns_fd, const std::function<void()>& fn);

}  // namespace vethlab::backend
