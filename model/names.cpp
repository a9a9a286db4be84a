#include "model/names.hpp"

#include <fmt/format.h>

namespace vethlab {

std::string ns_display(std::string_view ns) { return ns.empty() ? "(host)" : std::string(ns); }

std::optional<std::string> check_ifname(std::string_view name) {
    if (name.empty()) return "interface name is empty";
    if (name.size() > size_t(kIfNameMax))
        return fmt::format("interface name '{}' is {} bytes; Linux allows {}", name, name.size(), kIfNameMax);
    if (name == "." || name == "..") return fmt::format("interface name '{}' is not allowed", name);
    for (char c : name) {
        if (c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            return fmt::format("interface name '{}' contains {}; Linux forbids '/', ':' and whitespace", name,
                               c == '/' || c == ':' ? fmt::format("'{}'", c) : std::string("whitespace"));
    }
    return std::nullopt;
}

std::optional<std::string> check_netns_name(std::string_view name) {
    if (name.empty()) return "namespace name is empty";
    if (name.size() > 255) return fmt::format("namespace name is {} bytes; at most 255", name.size());
    if (name == "." || name == ".." || name.find('/') != std::string_view::npos)
        return fmt::format("Invalid netns name \"{}\"", name);
    return std::nullopt;
}

}  // namespace vethlab
