#pragma once
// The texts ip, ip netns and sysctl print when the kernel (or the tool) refuses.
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace vethlab::errors {

inline std::string no_netns(std::string_view ns) {
    return fmt::format("Cannot open network namespace \"{}\": No such file or directory", ns);
}
inline std::string bad_netns_arg(std::string_view ns) {
    return fmt::format("Error: argument \"{}\" is wrong: Invalid \"netns\" value", ns);
}
inline std::string no_device(std::string_view dev) { return fmt::format("Cannot find device \"{}\"", dev); }
// A refusal without an extended ack: ip prints strerror.
inline std::string rtnl(std::string_view strerror) { return fmt::format("RTNETLINK answers: {}", strerror); }
// A refusal with an extended ack: ip prints "Error: <msg>." (adding the period).
inline std::string extack(std::string_view msg) { return fmt::format("Error: {}.", msg); }

inline constexpr std::string_view kExists = "File exists";
inline constexpr std::string_view kNoEntry = "No such file or directory";
inline constexpr std::string_view kNoProcess = "No such process";
inline constexpr std::string_view kInval = "Invalid argument";
inline constexpr std::string_view kNoDev = "No such device";
inline constexpr std::string_view kNetDown = "Network is down";
inline constexpr std::string_view kNotSupp = "Operation not supported";

}  // namespace vethlab::errors
