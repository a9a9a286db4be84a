#include "cli/json_state.hpp"

#include "model/graph.hpp"
#include "model/names.hpp"

namespace vethlab::cli {
namespace {

nlohmann::json link_json(const NetState& st, const Namespace& ns, const Link& l) {
    nlohmann::json j{{"ifindex", l.ifindex}, {"name", l.name},     {"kind", to_string(l.kind)},
                     {"up", l.admin_up},     {"carrier", st.carrier(ns, l)}, {"mtu", l.mtu},
                     {"mac", l.mac.str()},   {"addresses", nlohmann::json::array()}};
    for (const auto& a : l.addrs) j["addresses"].push_back(a.addr.str());
    if (auto p = st.peer(ns, l)) j["peer"] = {{"namespace", p->first->name}, {"name", p->second->name}};
    if (l.master) j["master"] = ns.ifname(l.master);
    if (!l.conf.empty()) j["sysctl"] = l.conf;
    return j;
}

nlohmann::json route_json(const Namespace& ns, const Route& r) {
    nlohmann::json j{{"table", table_name(r.table)}, {"type", to_string(r.type)}, {"dst", r.dst.str()},
                     {"metric", r.metric},            {"scope", to_string(r.scope)}, {"proto", to_string(r.proto)}};
    if (!r.gateway.is_zero()) j["via"] = r.gateway.str();
    if (r.oif) j["dev"] = ns.ifname(r.oif);
    if (!r.prefsrc.is_zero()) j["src"] = r.prefsrc.str();
    return j;
}

}  // namespace

nlohmann::json state_to_json(const NetState& state) {
    nlohmann::json out{{"namespaces", nlohmann::json::array()}, {"veths", nlohmann::json::array()}};
    for (const auto& [name, ns] : state.namespaces()) {
        if (name.empty()) continue;
        nlohmann::json j{{"name", name}, {"links", nlohmann::json::array()}, {"routes", nlohmann::json::array()}};
        for (const auto& l : ns.links) j["links"].push_back(link_json(state, ns, l));
        for (uint32_t table : {kTableMain, kTableLocal})
            for (const Route* r : ns.sorted_routes(table)) j["routes"].push_back(route_json(ns, *r));
        j["sysctl"] = ns.sysctls;
        out["namespaces"].push_back(j);
    }
    const TopologyGraph graph(state);
    for (const auto& e : graph.edges())
        out["veths"].push_back({{"a", {{"namespace", e.ns_a}, {"name", e.if_a}}},
                                {"b", {{"namespace", e.ns_b}, {"name", e.if_b}}}});
    return out;
}

nlohmann::json diagnostics_to_json(const Diagnostics& diags) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : diags)
        out.push_back({{"file", d.loc.file}, {"line", d.loc.line}, {"column", d.loc.col}, {"message", d.message}});
    return out;
}

}  // namespace vethlab::cli
