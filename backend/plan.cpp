#include "backend/plan.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>

#include "backend/plan_check.hpp"
#include "model/names.hpp"

namespace vethlab::backend {
namespace {

using DevKey = std::pair<std::string, std::string>;  // namespace, device

// net.ipv4.conf.DEV.knob / net.ipv4.neigh.DEV.knob -> DEV
std::optional<std::string> sysctl_device(const std::string& key) {
    for (std::string_view group : {"net.ipv4.conf.", "net.ipv4.neigh."}) {
        if (key.rfind(group, 0) != 0) continue;
        const auto dot = key.rfind('.');
        if (dot <= group.size()) return std::nullopt;
        std::string dev = key.substr(group.size(), dot - group.size());
        if (dev == "all" || dev == "default") return std::nullopt;
        return dev;
    }
    return std::nullopt;
}

// The devices an edit names, in the namespaces where it names them.
std::vector<DevKey> devices_named(const EditOp& op) {
    std::vector<DevKey> out;
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, LinkAdd>) {
                out.emplace_back(e.netns.value_or(e.ns), e.name);
                if (e.kind == LinkKind::veth) out.emplace_back(e.peer_netns.value_or(e.ns), e.peer);
            } else if constexpr (std::is_same_v<T, LinkDel>) {
                out.emplace_back(e.ns, e.name);
            } else if constexpr (std::is_same_v<T, LinkSet>) {
                out.emplace_back(e.ns, e.name);
                if (e.netns || e.new_name) out.emplace_back(e.netns.value_or(e.ns), e.new_name.value_or(e.name));
                if (e.master && !e.master->empty()) out.emplace_back(e.ns, *e.master);
            } else if constexpr (std::is_same_v<T, AddrAdd> || std::is_same_v<T, AddrDel>) {
                out.emplace_back(e.ns, e.dev);
            } else if constexpr (std::is_same_v<T, RouteEdit>) {
                if (e.route.dev) out.emplace_back(e.ns, *e.route.dev);
            } else if constexpr (std::is_same_v<T, SysctlSet>) {
                if (auto dev = sysctl_device(e.key)) out.emplace_back(e.ns, *dev);
            }
        },
        op);
    return out;
}

// The namespaces an edit refers to, other than the one it runs in.
std::vector<std::string> namespaces_named(const EditOp& op) {
    std::vector<std::string> out;
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, NetnsAdd> || std::is_same_v<T, NetnsDel>) {
                out.push_back(e.name);
            } else {
                out.push_back(e.ns);
                if constexpr (std::is_same_v<T, LinkAdd>) {
                    if (e.netns) out.push_back(*e.netns);
                    if (e.peer_netns) out.push_back(*e.peer_netns);
                }
                if constexpr (std::is_same_v<T, LinkSet>)
                    if (e.netns) out.push_back(*e.netns);
            }
        },
        op);
    return out;
}

// A link the script creates in the host namespace, waiting for its ends to be moved.
struct HostEnd {
    std::string host_name;
    std::string ns;  // final namespace; "" while still in the host
    std::string name;
    LinkOpts opts;
};
struct HostLink {
    LinkKind kind = LinkKind::veth;
    std::vector<HostEnd> ends;
    std::vector<size_t> edits;  // the creation, then each move
    bool done = false;
};

class Planner {
public:
    explicit Planner(const Topology& topo) : topo_(topo) {
        for (const auto& e : topo.edits)
            if (auto* add = std::get_if<NetnsAdd>(&e.op)) lab_ns_.insert(add->name);
    }

    Plan run() {
        for (size_t i = 0; i < topo_.edits.size(); ++i) plan_edit(i);
        for (const auto& link : links_)
            for (const auto& end : link.ends)
                if (end.ns.empty())
                    refuse(link.edits.front(),
                           fmt::format("leaves '{}' in the host's namespace: the script never moves it into one of "
                                       "its namespaces, and vethlab changes nothing in the host's",
                                       end.host_name));
        return std::move(plan_);
    }

private:
    const Edit& edit(size_t i) const { return topo_.edits[i]; }

    void refuse(size_t i, const std::string& why) {
        SourceLoc loc = edit(i).loc;
        if (loc.file.empty()) loc.file = topo_.file;
        plan_.refusals.push_back({loc, fmt::format("'{}' {}", edit(i).text, why)});
    }

    void emit(Operation op, std::vector<size_t> edits) { plan_.steps.push_back({std::move(op), std::move(edits)}); }

    void plan_edit(size_t i) {
        const EditOp& op = edit(i).op;
        if (edit(i).is_observation()) {
            plan_.observations.push_back(i);
            return;
        }
        for (const auto& ns : namespaces_named(op)) {
            if (ns.empty() || lab_ns_.count(ns)) continue;
            refuse(i, fmt::format("uses namespace '{}', which the script does not create; vethlab changes only "
                                  "namespaces it creates",
                                  ns));
            return;
        }
        if (auto* del = std::get_if<NetnsDel>(&op)) {
            for (const auto& [key, link] : in_flight_)
                if (key.first == del->name) return refuse_in_flight(i, key);
        }
        for (const auto& key : devices_named(op))
            if (in_flight_.count(key)) return refuse_in_flight(i, key);

        if (auto* add = std::get_if<LinkAdd>(&op)) return plan_link_add(i, *add);
        if (auto* set = std::get_if<LinkSet>(&op); set && set->ns.empty()) return plan_host_move(i, *set);
        if (edit_ns(op).empty() && !std::holds_alternative<NetnsAdd>(op) && !std::holds_alternative<NetnsDel>(op))
            return refuse(i, "changes the host's own namespace; vethlab changes only namespaces it creates (run it "
                             "in one of them with `ip -n NS` or `ip netns exec NS`)");
        emit(*operation_for(op), {i});
    }

    void refuse_in_flight(size_t i, const DevKey& key) {
        refuse(i, fmt::format("uses '{}' in '{}' while the other end of its pair is still in the host's namespace; "
                              "vethlab creates both ends of a pair at once, directly in their namespaces: move "
                              "both ends first, or create the pair there with `ip link add A netns X type veth peer "
                              "name B netns Y`",
                              key.second, key.first));
    }

    void plan_link_add(size_t i, const LinkAdd& e) {
        const std::string home = e.netns.value_or(e.ns);
        const std::string peer_home = e.kind == LinkKind::veth ? e.peer_netns.value_or(e.ns) : "-";
        if (!home.empty() && !peer_home.empty()) return emit(*operation_for(e), {i});
        if (e.kind == LinkKind::bridge)  // NETIF_F_NETNS_LOCAL: it could never leave the host
            return refuse(i, "creates a bridge in the host's own namespace; vethlab changes only namespaces it "
                             "creates (create it in one of them with `ip -n NS link add NAME type bridge`)");
        // Created in the host: wait for the moves, keep what survives a move (MTU, MAC).
        HostLink link;
        link.kind = e.kind;
        link.edits = {i};
        link.ends.push_back({e.name, home, e.name, LinkOpts{e.mtu, e.mac, !home.empty() && e.up.value_or(false)}});
        if (e.kind == LinkKind::veth)
            link.ends.push_back({e.peer, peer_home, e.peer, LinkOpts{e.peer_mtu, e.peer_mac, false}});
        const size_t id = links_.size();
        for (size_t k = 0; k < link.ends.size(); ++k) {
            const auto& end = link.ends[k];
            if (end.ns.empty()) pending_[end.host_name] = {id, k};
            else in_flight_[{end.ns, end.name}] = id;
        }
        plan_.host_names.emplace_back(e.name, i);
        if (e.kind == LinkKind::veth && peer_home.empty()) plan_.host_names.emplace_back(e.peer, i);
        links_.push_back(std::move(link));
    }

    void plan_host_move(size_t i, const LinkSet& e) {
        auto it = pending_.find(e.name);
        if (it == pending_.end() || !e.netns)
            return refuse(i, "changes the host's own namespace; vethlab changes only namespaces it creates (run it "
                             "in one of them with `ip -n NS` or `ip netns exec NS`)");
        auto [id, k] = it->second;
        pending_.erase(it);
        HostLink& link = links_[id];
        HostEnd& end = link.ends[k];
        // do_setlink order: the move first, then name, MAC, MTU, state in the new namespace.
        end.ns = *e.netns;
        end.name = e.new_name.value_or(e.name);
        if (e.mac) end.opts.mac = e.mac;
        if (e.mtu) end.opts.mtu = e.mtu;
        if (e.up) end.opts.up = *e.up;
        link.edits.push_back(i);
        in_flight_[{end.ns, end.name}] = id;
        for (const auto& other : link.ends)
            if (other.ns.empty()) return;  // still waiting for the other end
        for (const auto& done : link.ends) in_flight_.erase({done.ns, done.name});
        link.done = true;
        if (link.kind == LinkKind::veth) {
            const HostEnd& a = link.ends[0];
            const HostEnd& b = link.ends[1];
            emit(CreateVeth{{a.ns, a.name, a.opts}, {b.ns, b.name, b.opts}}, link.edits);
        } else {
            emit(CreateLink{end.ns, end.name, link.kind, end.opts}, link.edits);
        }
    }

    const Topology& topo_;
    std::set<std::string> lab_ns_;
    std::vector<HostLink> links_;
    std::map<std::string, std::pair<size_t, size_t>> pending_;  // host name -> link, end
    std::map<DevKey, size_t> in_flight_;  // an end already placed, its link not complete
    Plan plan_;
};

// --- Folding `ip link set X up` into X's creation ------------------------------------

struct EndRef {
    std::string* ns;
    std::string* name;
    LinkOpts* opts;
};

std::vector<EndRef> created_ends(Operation& op) {
    if (auto* v = std::get_if<CreateVeth>(&op)) return {{&v->a.ns, &v->a.name, &v->a.opts}, {&v->b.ns, &v->b.name, &v->b.opts}};
    if (auto* l = std::get_if<CreateLink>(&op)) return {{&l->ns, &l->name, &l->opts}};
    return {};
}

// Each new link whose next use (addresses aside) is a bare `up` starts up instead.
std::vector<Step> fold_ups(std::vector<Step> steps) {
    // Which steps name each device, and where namespaces are deleted, in step order.
    std::map<DevKey, std::vector<size_t>> uses;
    std::map<std::string, std::vector<size_t>> deletions;
    for (size_t k = 0; k < steps.size(); ++k) {
        if (auto* del = std::get_if<DelNetns>(&steps[k].op)) deletions[del->ns].push_back(k);
        for (const auto& e : model_edits(steps[k].op))
            for (const auto& d : devices_named(e)) {
                auto& list = uses[d];
                if (list.empty() || list.back() != k) list.push_back(k);
            }
    }
    auto next_after = [](const std::vector<size_t>& list, size_t c) {
        auto it = std::upper_bound(list.begin(), list.end(), c);
        return it == list.end() ? std::numeric_limits<size_t>::max() : *it;
    };
    std::vector<bool> folded(steps.size(), false);
    for (size_t c = 0; c < steps.size(); ++c) {
        for (EndRef end : created_ends(steps[c].op)) {
            if (end.opts->up) continue;
            const DevKey key{*end.ns, *end.name};
            const auto del = deletions.find(key.first);
            const size_t deleted_at = del == deletions.end() ? std::numeric_limits<size_t>::max()
                                                             : next_after(del->second, c);
            const auto& list = uses[key];
            for (auto it = std::upper_bound(list.begin(), list.end(), c); it != list.end() && *it < deleted_at; ++it) {
                const Operation& op = steps[*it].op;
                if (std::holds_alternative<ChangeAddress>(op)) continue;
                if (auto* set = std::get_if<SetLink>(&op); set && !folded[*it] && set->ns == key.first &&
                                                           set->name == key.second &&
                                                           set->change == LinkChange{.up = true}) {
                    end.opts->up = true;
                    folded[*it] = true;
                    steps[c].edits.insert(steps[c].edits.end(), steps[*it].edits.begin(), steps[*it].edits.end());
                }
                break;
            }
        }
    }
    std::vector<Step> out;
    for (size_t i = 0; i < steps.size(); ++i)
        if (!folded[i]) out.push_back(std::move(steps[i]));
    return out;
}

bool same_end_state(const std::string& expected, const std::vector<Step>& steps) {
    NetState st;
    return apply_steps(st, steps) && end_state_fingerprint(st) == expected;
}

}  // namespace

Plan make_plan(const Topology& topo, const std::string& prefix) {
    Plan plan = Planner(topo).run();
    if (plan.refusals.empty()) {
        const Applied original = apply_all(topo);
        if (original.errors.empty()) {
            const std::string expected = end_state_fingerprint(original.state);
            auto folded = fold_ups(plan.steps);
            if (folded.size() != plan.steps.size() && same_end_state(expected, folded)) plan.steps = std::move(folded);
        }
    }
    for (auto& step : plan.steps) {
        add_prefix(step.op, prefix);
        if (auto* add = std::get_if<AddNetns>(&step.op)) plan.namespaces.push_back(add->ns);
    }
    return plan;
}

std::string edit_lines(const Topology& topo, const std::vector<size_t>& edits) {
    std::string out;
    std::set<int> seen;
    for (size_t i : edits) {
        const int line = topo.edits[i].loc.line;
        if (seen.insert(line).second) out += (out.empty() ? "" : ", ") + std::to_string(line);
    }
    return out;
}

std::string format_plan(const Topology& topo, const Plan& plan) {
    std::string out;
    for (const auto& step : plan.steps) {
        const auto commands = ip_commands(step.op);
        for (size_t i = 0; i < commands.size(); ++i) {
            out += commands[i];
            if (i == 0 && step.edits.size() > 1 && edit_lines(topo, step.edits).find(',') != std::string::npos) out += "  # lines " + edit_lines(topo, step.edits);
            out += "\n";
        }
    }
    if (!plan.observations.empty())
        out += fmt::format("# not run by up: {} observation{} (lines {})\n", plan.observations.size(),
                           plan.observations.size() == 1 ? "" : "s", edit_lines(topo, plan.observations));
    return out;
}

}  // namespace vethlab::backend
