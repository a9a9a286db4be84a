#include "sim/script_runner.hpp"

#include <cmath>

#include "model/ip_writer.hpp"
#include "sim/fdb_printer.hpp"
#include "sim/link_printer.hpp"
#include "sim/neigh_printer.hpp"
#include "sim/ping_app.hpp"
#include "sim/route_printer.hpp"

namespace vethlab::sim {

std::string ScriptRunner::observe(const Show& show) {
    const Namespace& ns = *state_.ns(show.ns);
    switch (show.what) {
        case ShowWhat::route_n: return format_route_n(ns);
        case ShowWhat::ip_route: return format_ip_route(state_, ns, show.table.value_or(kTableMain));
        case ShowWhat::ip_addr: return format_ip_addr(state_, ns, show.brief, show.dev);
        case ShowWhat::ip_link: return format_ip_link(state_, ns, show.brief, show.dev);
        case ShowWhat::ip_neigh: return format_ip_neigh(ns, kernel_.neighbours(show.ns), show.dev);
        case ShowWhat::bridge_fdb: return format_bridge_fdb(kernel_, ns, show.dev);
    }
    return "";
}

StepResult ScriptRunner::run(const Edit& edit) {
    StepResult r{&edit, "", 0, false};
    // Each command takes at most a day (model/edit.hpp); time in int64 nanoseconds lasts
    // 292 years: a script that would pass a century stops there, said in words.
    if (edit.is_observation() && kernel_.now() > kMaxScriptTime) {
        r.output = "vethlab: the simulation has run for 100 years of virtual time; it stops here\n";
        r.exit_code = 1;
        return r;
    }
    if (auto err = state_.apply(edit.op)) {  // also checks the namespace of observations
        r.output = *err + "\n";
        const auto* show = std::get_if<Show>(&edit.op);
        // ip exits 2 on a refused edit, 1 on a failed show (255 for bridge fdb's); sysctl
        // (procps-ng 4) exits 1 on a key it cannot stat or a value the kernel refuses.
        const bool exits_1 = std::holds_alternative<SysctlSet>(edit.op) || edit.is_observation();
        r.exit_code = show && show->what == ShowWhat::bridge_fdb ? 255 : exits_1 ? 1 : 2;
        r.refused = !edit.is_observation();
        return r;
    }
    if (const auto* ping = std::get_if<Ping>(&edit.op)) {
        const PingRun run = run_ping(kernel_, *ping, state_);
        r.output = format_ping(run);
        r.exit_code = ping_exit_code(run);
    } else if (const auto* show = std::get_if<Show>(&edit.op)) {
        const uint32_t table = show->table.value_or(kTableMain);
        if (show->what == ShowWhat::ip_route && table != kTableMain && table != 0 &&
            !state_.ns(show->ns)->has_table(table)) {  // inet_dump_fib of a table never made
            r.output = "Error: ipv4: FIB table does not exist.\nDump terminated\n";
            r.exit_code = 2;
            return r;
        }
        r.output = observe(*show);
    } else if (const auto* sleep = std::get_if<Sleep>(&edit.op)) {
        kernel_.queue().run_until(kernel_.now() + Time(std::llround(sleep->seconds * double(kSecond))));
    } else {
        if (const auto* del = std::get_if<AddrDel>(&edit.op)) {  // fib_inetaddr_event(NETDEV_DOWN)
            const Namespace* n = state_.ns(del->ns);
            const Link* link = n ? n->link(del->dev) : nullptr;
            if (link && link->addrs.empty()) kernel_.neigh_flush_dev(del->ns, link->ifindex);
        }
        kernel_.after_config_change();
    }
    return r;
}

std::string replay(const Topology& topo, bool all_commands) {
    ScriptRunner runner;
    std::string out;
    for (const auto& edit : topo.edits) {
        StepResult r = runner.run(edit);
        if (!all_commands && !edit.is_observation() && !r.refused) continue;
        out += "$ " + (edit.text.empty() ? format_command(edit.op) : edit.text) + "\n" + r.output;
        if (edit.is_observation() && !r.output.empty()) out += "\n";
    }
    return out;
}

}  // namespace vethlab::sim
