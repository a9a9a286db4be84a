#include "backend/plan_check.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace vethlab::backend {
namespace {

std::string link_text(const NetState& st, const Namespace& ns, const Link& l) {
    std::string out = fmt::format("  link {} {} {} mtu {}", l.name, to_string(l.kind), l.admin_up ? "up" : "down", l.mtu);
    if (auto p = st.peer(ns, l)) out += fmt::format(" peer {}/{}", p->first->name, p->second->name);
    if (l.master) out += " master " + ns.ifname(l.master);
    for (const auto& a : l.addrs)
        out += fmt::format(" inet {} scope {}{}", a.addr.str(), to_string(a.scope), a.secondary ? " secondary" : "");
    for (const auto& [k, v] : l.conf) out += fmt::format(" {}={}", k, v);
    return out + "\n";
}

std::string route_text(const Namespace& ns, const Route& r) {
    return fmt::format("  route {} {} tos {} metric {} via {} dev {} src {} scope {} proto {}{}\n", to_string(r.type),
                       r.dst.str(), r.tos, r.metric, r.gateway.str(), ns.ifname(r.oif), r.prefsrc.str(),
                       to_string(r.scope), to_string(r.proto), r.onlink ? " onlink" : "");
}

}  // namespace

std::string end_state_fingerprint(const NetState& st) {
    std::string out;
    for (const auto& [name, ns] : st.namespaces()) {
        out += "ns " + name + "\n";
        std::vector<const Link*> links;
        for (const auto& l : ns.links) links.push_back(&l);
        std::sort(links.begin(), links.end(), [](const Link* a, const Link* b) { return a->name < b->name; });
        for (const Link* l : links) out += link_text(st, ns, *l);
        std::set<uint32_t> tables;
        for (const auto& r : ns.routes) tables.insert(r.table);
        for (uint32_t t : tables) {
            out += fmt::format(" table {}\n", t);
            for (const Route* r : ns.sorted_routes(t)) out += route_text(ns, *r);
        }
        for (const auto& [k, v] : ns.sysctls) out += fmt::format("  {}={}\n", k, v);
    }
    return out;
}

bool apply_steps(NetState& st, const std::vector<Step>& steps) {
    for (const auto& step : steps)
        for (const auto& e : model_edits(step.op))
            if (st.apply(e)) return false;
    return true;
}

}  // namespace vethlab::backend
