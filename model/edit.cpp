#include "model/edit.hpp"

#include <algorithm>
#include <cmath>

#include "model/names.hpp"

namespace vethlab {

double Ping::probes() const {
    if (count) return *count;
    if (deadline) return interval > 0 ? std::floor(*deadline / interval) + 1 : HUGE_VAL;
    return kPingDefaultCount;
}

double Ping::max_seconds() const {
    const double last = interval > 0 ? (probes() - 1) * interval : 0;
    const double end = last + timeout.value_or(kPingLingerSeconds);
    return deadline ? std::min(end, *deadline) : end;
}

std::string_view to_string(LinkKind k) {
    switch (k) {
        case LinkKind::loopback: return "loopback";
        case LinkKind::veth: return "veth";
        case LinkKind::tap: return "tap";
        case LinkKind::dummy: return "dummy";
        case LinkKind::bridge: return "bridge";
    }
    return "veth";
}

std::string_view to_string(ShowWhat w) {
    switch (w) {
        case ShowWhat::route_n: return "route -n";
        case ShowWhat::ip_route: return "ip route";
        case ShowWhat::ip_addr: return "ip addr";
        case ShowWhat::ip_link: return "ip link";
        case ShowWhat::ip_neigh: return "ip neigh";
        case ShowWhat::bridge_fdb: return "bridge fdb";
    }
    return "ip route";
}

const std::string& edit_ns(const EditOp& op) {
    return std::visit(
        [](const auto& e) -> const std::string& {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, NetnsAdd> || std::is_same_v<T, NetnsDel>)
                return kInitNs;
            else
                return e.ns;
        },
        op);
}

}  // namespace vethlab
