#include "cli/verify_tables.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sim/route_printer.hpp"

namespace vethlab::cli {
namespace {

std::string table_prefix(uint32_t table) { return table == kTableLocal ? "table local: " : "table main: "; }

// Every line of `routes`, counted: a multiset to compare.
std::map<std::string, int> route_lines(const NetState& st, const Namespace& ns, const std::vector<Route>& routes) {
    std::map<std::string, int> out;
    for (const auto& r : routes) ++out[table_prefix(r.table) + sim::format_route(st, ns, r)];
    return out;
}

void diff_routes(std::vector<std::string>& out, const std::string& ns, const std::map<std::string, int>& kernel,
                 const std::map<std::string, int>& sim) {
    for (const auto& [line, n] : kernel) {
        auto it = sim.find(line);
        for (int i = it == sim.end() ? 0 : it->second; i < n; ++i)
            out.push_back(fmt::format("{}: route only on the kernel: {}", ns, line));
    }
    for (const auto& [line, n] : sim) {
        auto it = kernel.find(line);
        for (int i = it == kernel.end() ? 0 : it->second; i < n; ++i)
            out.push_back(fmt::format("{}: route only in the simulator: {}", ns, line));
    }
}

std::string flag_word(bool up, bool lower) {
    return fmt::format("{},{}", up ? "UP" : "DOWN", lower ? "LOWER_UP" : "NO-CARRIER");
}

}  // namespace

std::vector<std::string> compare_tables(backend::NetnsQuery& kernel, const NetState& st, const std::string& ns_name) {
    std::vector<std::string> out;
    const Namespace* ns = st.ns(ns_name);
    if (!ns) return out;
    auto links = kernel.links();
    auto routes = kernel.routes();
    if (!links || !routes) {
        out.push_back(fmt::format("{}: cannot read the kernel's tables: {}", ns_name,
                                  !links ? links.error() : routes.error()));
        return out;
    }
    // Links by name; the kernel's ifindexes become the simulator's so routes print alike.
    std::map<int, int> sim_index;
    for (const auto& kl : links.value()) {
        const Link* l = ns->link(kl.name);
        if (!l) {
            out.push_back(fmt::format("{}: link only on the kernel: {}", ns_name, kl.name));
            continue;
        }
        sim_index[kl.ifindex] = l->ifindex;
        const bool lower = st.carrier(*ns, *l);
        if (kl.up() != l->admin_up || (l->admin_up && kl.lower_up() != lower))
            out.push_back(fmt::format("{}: link {}: kernel {}, simulator {}", ns_name, kl.name,
                                      flag_word(kl.up(), kl.lower_up()), flag_word(l->admin_up, lower)));
    }
    for (const auto& l : ns->links)
        if (std::none_of(links.value().begin(), links.value().end(),
                         [&](const backend::LiveLink& kl) { return kl.name == l.name; }))
            out.push_back(fmt::format("{}: link only in the simulator: {}", ns_name, l.name));
    std::vector<Route> kernel_routes = std::move(routes).value();
    for (auto& r : kernel_routes) {
        auto it = sim_index.find(r.oif);
        r.oif = it == sim_index.end() ? 0 : it->second;
    }
    std::vector<Route> sim_routes;
    for (const auto& r : ns->routes)
        if (r.table == kTableMain || r.table == kTableLocal) sim_routes.push_back(r);
    diff_routes(out, ns_name, route_lines(st, *ns, kernel_routes), route_lines(st, *ns, sim_routes));
    return out;
}

std::vector<std::string> compare_neighbours(backend::NetnsQuery& kernel, const NetState& st,
                                            const std::vector<sim::NeighborEntry>& twin, const std::string& ns_name) {
    std::vector<std::string> out;
    const Namespace* ns = st.ns(ns_name);
    auto real = kernel.neighbours();
    if (!ns || !real) {
        if (!real) out.push_back(fmt::format("{}: cannot read the kernel's neighbours: {}", ns_name, real.error()));
        return out;
    }
    std::map<std::pair<std::string, uint32_t>, std::pair<std::string, std::string>> states;  // (kernel, twin)
    for (const auto& n : real.value()) states[{n.dev, n.ip.value()}].first = n.state;
    for (const auto& e : twin) states[{ns->ifname(e.ifindex), e.ip.value()}].second = std::string(sim::to_string(e.state));
    for (const auto& [key, both] : states)
        if (both.first != both.second)
            out.push_back(fmt::format("{}: neighbour {} dev {}: kernel {}, simulator {}", ns_name, Ipv4(key.second).str(),
                                      key.first, both.first.empty() ? "none" : both.first,
                                      both.second.empty() ? "none" : both.second));
    return out;
}

}  // namespace vethlab::cli
