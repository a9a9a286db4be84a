// vethlab show FILE: namespaces, interfaces, addresses, routes and veth pairs as tables.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/json_state.hpp"
#include "cli/load.hpp"
#include "cli/table.hpp"
#include "model/graph.hpp"
#include "model/names.hpp"
#include "sim/route_printer.hpp"

namespace vethlab::cli {
namespace {

struct ShowOptions {
    std::string file;
    bool json = false;
};

std::string join_addrs(const Link& l) {
    std::string out;
    for (const auto& a : l.addrs) out += (out.empty() ? "" : " ") + a.addr.str();
    return out.empty() ? "-" : out;
}

std::string interfaces_table(const NetState& st) {
    Table t({"NAMESPACE", "IFINDEX", "NAME", "KIND", "STATE", "CARRIER", "MTU", "ADDRESSES", "PEER"});
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        for (const auto& l : ns.links) {
            auto peer = st.peer(ns, l);
            t.add({name, std::to_string(l.ifindex), l.name, std::string(to_string(l.kind)), l.admin_up ? "UP" : "DOWN",
                   st.carrier(ns, l) ? "yes" : "no", std::to_string(l.mtu), join_addrs(l),
                   peer ? ns_display(peer->first->name) + ":" + peer->second->name : "-"});
        }
    }
    return t.str();
}

std::string routes_table(const NetState& st) {
    Table t({"NAMESPACE", "ROUTE (ip route, main table)"});
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        std::string routes = sim::format_ip_route(st, ns);
        size_t start = 0;
        for (size_t nl; (nl = routes.find('\n', start)) != std::string::npos; start = nl + 1)
            t.add({name, routes.substr(start, nl - start)});
    }
    return t.empty() ? "(no routes)\n" : t.str();
}

std::string sysctl_table(const NetState& st) {
    Table t({"NAMESPACE", "SYSCTL", "VALUE"});
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        for (const auto& [k, v] : ns.sysctls) t.add({name, k, v});
        for (const auto& l : ns.links)
            for (const auto& [k, v] : l.conf) t.add({name, fmt::format("net.ipv4.conf.{}.{}", l.name, k), v});
    }
    return t.empty() ? "" : "\nSysctls\n" + t.str();
}

void run(const ShowOptions& o, Context& ctx) {
    auto loaded = load_or_report(o.file);
    if (!loaded) {
        ctx.exit_code = 1;
        return;
    }
    const NetState& st = loaded->applied.state;
    if (o.json) {
        std::cout << state_to_json(st).dump(2) << "\n";
        return;
    }
    TopologyGraph graph(st);
    std::cout << "Interfaces\n" << interfaces_table(st) << "\nRoutes\n" << routes_table(st);
    std::cout << "\nVeth pairs (" << graph.edge_count() << ")\n";
    for (const auto& e : graph.edges())
        std::cout << fmt::format("{}:{} -- {}:{}\n", ns_display(e.ns_a), e.if_a, ns_display(e.ns_b), e.if_b);
    std::cout << sysctl_table(st);
}

}  // namespace

void add_show(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<ShowOptions>();
    auto* cmd = app.add_subcommand("show", "Print the topology after all its edits: interfaces, addresses, routes, "
                                           "veth pairs, sysctls");
    cmd->add_option("file", opts->file, "topology file (.yaml) or ip-command script (.sh)")->required();
    cmd->add_flag("--json", opts->json, "print as JSON");
    cmd->callback([opts, &ctx] { run(*opts, ctx); });
}

}  // namespace vethlab::cli
