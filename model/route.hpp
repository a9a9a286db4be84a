#pragma once
// Route vocabulary shared by edits and tables: tables, types, scopes, protocols,
// and the route as the user writes it (RouteSpec, device by name).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/ipv4.hpp"

namespace vethlab {

inline constexpr uint32_t kTableMain = 254;
inline constexpr uint32_t kTableLocal = 255;
inline constexpr uint32_t kTableDefault = 253;

enum class RouteType : uint8_t { unicast, local, broadcast, blackhole, unreachable, prohibit };
// Numeric values are the kernel's (rtnetlink.h): smaller is wider.
enum class RouteScope : uint8_t { universe = 0, site = 200, link = 253, host = 254, nowhere = 255 };
enum class RouteProto : uint8_t { unspec = 0, redirect = 1, kernel = 2, boot = 3, static_ = 4 };
enum class RouteOp : uint8_t { add, change, replace, append, del };

std::string_view to_string(RouteType t);
std::string_view to_string(RouteScope s);  // "global" for universe, as ip prints it
std::string_view to_string(RouteProto p);
std::string_view to_string(RouteOp op);
std::optional<RouteType> route_type_from(std::string_view word);
std::optional<RouteScope> route_scope_from(std::string_view word);  // names or numbers
std::optional<RouteProto> route_proto_from(std::string_view word);
std::optional<uint32_t> route_table_from(std::string_view word);    // main, local, default, number
std::string table_name(uint32_t table);

// A route as written in `ip route add|change|replace|append|del ...`. Unset fields are
// left to iproute2's defaults (RouteSpec::resolved) or, for `del`, match anything.
struct RouteSpec {
    RouteType type = RouteType::unicast;
    Prefix dst;
    std::optional<uint32_t> table;
    uint8_t tos = 0;
    std::optional<uint32_t> metric;
    std::optional<Ipv4> via;  // 0.0.0.0 is given but means "no gateway"
    std::optional<std::string> dev;
    std::optional<Ipv4> src;
    std::optional<RouteScope> scope;
    std::optional<RouteProto> proto;
    bool onlink = false;
    bool type_given = false;  // `ip route del` matches any type unless one is named

    // The table iproute2 picks: local for type local/broadcast, else main.
    uint32_t effective_table() const;
    // The scope iproute2 picks when none is given (iproute.c iproute_modify).
    RouteScope effective_scope(RouteOp op) const;

    bool operator==(const RouteSpec&) const = default;
};

}  // namespace vethlab
