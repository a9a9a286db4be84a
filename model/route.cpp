#include "model/route.hpp"

#include <charconv>

namespace vethlab {

std::string_view to_string(RouteType t) {
    switch (t) {
        case RouteType::unicast: return "unicast";
        case RouteType::local: return "local";
        case RouteType::broadcast: return "broadcast";
        case RouteType::blackhole: return "blackhole";
        case RouteType::unreachable: return "unreachable";
        case RouteType::prohibit: return "prohibit";
    }
    return "unicast";
}

std::string_view to_string(RouteScope s) {
    switch (s) {
        case RouteScope::universe: return "global";
        case RouteScope::site: return "site";
        case RouteScope::link: return "link";
        case RouteScope::host: return "host";
        case RouteScope::nowhere: return "nowhere";
    }
    return "global";
}

std::string_view to_string(RouteProto p) {
    switch (p) {
        case RouteProto::unspec: return "unspec";
        case RouteProto::redirect: return "redirect";
        case RouteProto::kernel: return "kernel";
        case RouteProto::boot: return "boot";
        case RouteProto::static_: return "static";
    }
    return "boot";
}

std::string_view to_string(RouteOp op) {
    switch (op) {
        case RouteOp::add: return "add";
        case RouteOp::change: return "change";
        case RouteOp::replace: return "replace";
        case RouteOp::append: return "append";
        case RouteOp::del: return "del";
    }
    return "add";
}

std::optional<RouteType> route_type_from(std::string_view w) {
    for (auto t : {RouteType::unicast, RouteType::local, RouteType::broadcast, RouteType::blackhole,
                   RouteType::unreachable, RouteType::prohibit})
        if (w == to_string(t)) return t;
    return std::nullopt;
}

std::optional<RouteScope> route_scope_from(std::string_view w) {
    if (w == "global" || w == "universe" || w == "0") return RouteScope::universe;
    if (w == "site" || w == "200") return RouteScope::site;
    if (w == "link" || w == "253") return RouteScope::link;
    if (w == "host" || w == "254") return RouteScope::host;
    if (w == "nowhere" || w == "255") return RouteScope::nowhere;
    return std::nullopt;
}

std::optional<RouteProto> route_proto_from(std::string_view w) {
    for (auto p : {RouteProto::unspec, RouteProto::redirect, RouteProto::kernel, RouteProto::boot,
                   RouteProto::static_})
        if (w == to_string(p)) return p;
    return std::nullopt;
}

std::optional<uint32_t> route_table_from(std::string_view w) {
    if (w == "main") return kTableMain;
    if (w == "local") return kTableLocal;
    if (w == "default") return kTableDefault;
    uint32_t n = 0;
    auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
    if (w.empty() || ec != std::errc() || p != w.data() + w.size() || n == 0) return std::nullopt;
    return n;
}

std::string table_name(uint32_t table) {
    if (table == kTableMain) return "main";
    if (table == kTableLocal) return "local";
    if (table == kTableDefault) return "default";
    return std::to_string(table);
}

uint32_t RouteSpec::effective_table() const {
    if (table) return *table;
    return (type == RouteType::local || type == RouteType::broadcast) ? kTableLocal : kTableMain;
}

RouteScope RouteSpec::effective_scope(RouteOp op) const {
    if (scope) return *scope;
    if (type == RouteType::local) return RouteScope::host;
    if (type == RouteType::broadcast) return RouteScope::link;
    if (type == RouteType::unicast) {
        if (op == RouteOp::del) return RouteScope::nowhere;  // matches any scope
        if (!via) return RouteScope::link;                    // `via 0.0.0.0` counts as a gateway here
    }
    return RouteScope::universe;
}

}  // namespace vethlab
