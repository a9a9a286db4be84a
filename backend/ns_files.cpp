#include "backend/ns_files.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "backend/unique_fd.hpp"

namespace vethlab::backend {

Status make_persistent_tap(const std::string& name) {
    UniqueFd tun(open("/dev/net/tun", O_RDWR | O_CLOEXEC));
    if (!tun) return fmt::format("open(/dev/net/tun): {}", std::strerror(errno));
    ifreq ifr{};
    ifr.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);  // as ip: an existing device is an error
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (ioctl(tun.get(), TUNSETIFF, &ifr) != 0) return fmt::format("ioctl(TUNSETIFF): {}", std::strerror(errno));
    if (ioctl(tun.get(), TUNSETPERSIST, 1) != 0)
        return fmt::format("ioctl(TUNSETPERSIST): {}", std::strerror(errno));
    return std::nullopt;
}

std::string sysctl_path(const std::string& key) {
    std::vector<std::string> parts;
    for (size_t start = 0;;) {
        const size_t dot = key.find('.', start);
        parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    // A device name may hold dots: net.ipv4.{conf,neigh}.DEV.knob keeps them together.
    std::string out;
    const bool device_key = parts.size() > 5 && (parts[2] == "conf" || parts[2] == "neigh");
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += (device_key && i > 3 && i + 1 < parts.size()) ? '.' : '/';
        out += parts[i];
    }
    return out;
}

Status write_sysctl(const std::string& key, const std::string& value) {
    const std::string path = "/proc/sys/" + sysctl_path(key);
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT) {
            std::string shown = key;  // sysctl names the path with every dot a slash
            for (auto& c : shown)
                if (c == '.') c = '/';
            return fmt::format("sysctl: cannot stat /proc/sys/{}: No such file or directory", shown);
        }
        return fmt::format("sysctl: permission denied on key \"{}\"", key);
    }
    const std::string line = value + "\n";
    if (write(fd.get(), line.data(), line.size()) < 0)
        return fmt::format("sysctl: setting key \"{}\": {}", key, std::strerror(errno));
    return std::nullopt;
}

}  // namespace vethlab::backend
