#include "model/route_answer.hpp"

#include <fmt/format.h>

namespace vethlab {

std::string format_route_answer(Ipv4 dst, const RouteAnswer& a) {
    if (!a.error.empty()) return "RTNETLINK answers: " + a.error;
    std::string out;
    if (a.type != RouteType::unicast) out += fmt::format("{} ", to_string(a.type));
    out += dst.str();
    if (!a.gateway.is_zero()) out += " via " + a.gateway.str();
    if (!a.dev.empty()) out += " dev " + a.dev;
    if (!a.src.is_zero()) out += " src " + a.src.str();
    return out;
}

}  // namespace vethlab
