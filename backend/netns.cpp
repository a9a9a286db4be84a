#include "backend/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <thread>

#include <fmt/format.h>

namespace vethlab::backend {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// ip netns add: /run/netns must be a mount point with shared propagation, so that an
// unmount in one mount namespace reaches the others (iproute2 netns_add).
std::optional<std::string> prepare_run_dir() {
    if (mkdir(kNetnsRunDir, S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH) != 0 && errno != EEXIST)
        return fmt::format("mkdir {} failed: {}", kNetnsRunDir, errno_text(errno));
    bool made_mount = false;
    while (mount("", kNetnsRunDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
        if (errno != EINVAL || made_mount)
            return fmt::format("mount --make-shared {} failed: {}", kNetnsRunDir, errno_text(errno));
        if (mount(kNetnsRunDir, kNetnsRunDir, "none", MS_BIND | MS_REC, nullptr) != 0)
            return fmt::format("mount --bind {} {} failed: {}", kNetnsRunDir, kNetnsRunDir, errno_text(errno));
        made_mount = true;
    }
    return std::nullopt;
}

std::optional<dev_t> nsfs_device() {
    struct stat st {};
    if (stat("/proc/self/ns/net", &st) != 0) return std::nullopt;
    return st.st_dev;
}

}  // namespace

std::string netns_path(const std::string& name) { return std::string(kNetnsRunDir) + "/" + name; }

Result<UniqueFd> create_netns(const std::string& name, const std::function<void()>& inside) {
    if (auto err = prepare_run_dir()) return Error{*err};
    const std::string path = netns_path(name);
    {
        UniqueFd file(open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0));
        if (!file) return Error{fmt::format("Cannot create namespace file \"{}\": {}", path, errno_text(errno))};
    }
    // A new namespace for one thread only: unshare in a thread of our own, pin the
    // namespace with the bind mount, keep a descriptor, and let the thread end.
    std::string error;
    UniqueFd ns_fd;
    std::thread worker([&] {
        try {
            if (unshare(CLONE_NEWNET) != 0) {
                error = fmt::format("Failed to create a new network namespace \"{}\": {}", name, errno_text(errno));
                return;
            }
            const auto tid = static_cast<long>(syscall(SYS_gettid));
            const std::string self = fmt::format("/proc/self/task/{}/ns/net", tid);
            if (mount(self.c_str(), path.c_str(), "none", MS_BIND, nullptr) != 0) {
                error = fmt::format("Bind {} -> {} failed: {}", self, path, errno_text(errno));
                return;
            }
            ns_fd = UniqueFd(open(self.c_str(), O_RDONLY | O_CLOEXEC));
            if (!ns_fd) {
                error = fmt::format("Cannot open network namespace \"{}\": {}", name, errno_text(errno));
                return;
            }
            if (inside) inside();
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    worker.join();
    if (!error.empty()) {
        ns_fd.reset();
        umount2(path.c_str(), MNT_DETACH);
        unlink(path.c_str());
        return Error{error};
    }
    return ns_fd;
}

std::optional<std::string> delete_netns(const std::string& name) {
    const std::string path = netns_path(name);
    umount2(path.c_str(), MNT_DETACH);
    if (unlink(path.c_str()) != 0)
        return fmt::format("Cannot remove namespace file \"{}\": {}", path, errno_text(errno));
    return std::nullopt;
}

Result<UniqueFd> open_netns(const std::string& name) {
    UniqueFd fd(open(netns_path(name).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return Error{fmt::format("Cannot open network namespace \"{}\": {}", name, errno_text(errno))};
    return fd;
}

bool netns_exists(const std::string& name) { return access(netns_path(name).c_str(), F_OK) == 0; }

std::optional<uint64_t> netns_inode(const std::string& name) {
    struct stat st {};
    if (stat(netns_path(name).c_str(), &st) != 0) return std::nullopt;
    const auto nsfs = nsfs_device();
    if (!nsfs || st.st_dev != *nsfs) return std::nullopt;  // a plain file: nothing mounted
    return uint64_t(st.st_ino);
}

std::optional<uint64_t> netns_unique_id(const std::string& name) {
    // <linux/nsfs.h> of the build machine may predate it: _IOR(NSIO, 0xd, __u64).
    constexpr unsigned long kNsfsIoctl = 0xb7, kNsGetId = _IOR(kNsfsIoctl, 0xd, uint64_t);
    UniqueFd fd(open(netns_path(name).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    uint64_t id = 0;
    if (ioctl(fd.get(), kNsGetId, &id) != 0) return std::nullopt;
    return id;
}

std::optional<std::string> run_in_netns(int ns_fd, const std::function<void()>& fn) {
    std::optional<std::string> error;
    std::thread worker([&] {
        if (setns(ns_fd, CLONE_NEWNET) != 0) {
            error = fmt::format("setns: {}", errno_text(errno));
            return;
        }
        try {
            fn();
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    worker.join();
    return error;
}

}  // namespace vethlab::backend
