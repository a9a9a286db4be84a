#include "backend/lab.hpp"

#include <chrono>
#include <set>

#include <fmt/format.h>

#include "backend/journal.hpp"

namespace vethlab::backend {
namespace {

std::string where(const Topology& topo, size_t edit) {
    SourceLoc loc = topo.edits[edit].loc;
    if (loc.file.empty()) loc.file = topo.file;
    return loc.str();
}

std::string refusal(const Topology& topo, const Step& step, const std::string& message) {
    std::string out = fmt::format("{}: the kernel refused '{}': {}", where(topo, step.edits.front()),
                                  topo.edits[step.edits.front()].text, message);
    if (const std::string lines = edit_lines(topo, step.edits); lines.find(',') != std::string::npos)
        out += fmt::format(" (one operation for lines {})", lines);
    return out;
}

// Deletes the journal's live namespaces, newest first, but never one that is not the
// namespace the journal recorded.
void remove_namespaces(Netlink& nl, Journal& journal, DownOutcome& out) {
    const auto live = journal.record().live();
    std::vector<NetnsRecord> todo;
    for (const auto* rec : live) todo.push_back(*rec);
    for (auto it = todo.rbegin(); it != todo.rend(); ++it) {
        if (!nl.netns_exists(it->name)) {
            out.missing.push_back(it->name);
        } else if (it->id && nl.netns_id(it->name) != it->id) {
            out.replaced.push_back(it->name);
        } else if (auto err = nl.del_netns(it->name)) {
            out.error = *err;
            return;
        } else {
            out.removed.push_back(it->name);
        }
        // Nothing recorded per namespace: if this stops half-way, the next down finds
        // the removed ones missing, and a namespace made since under the same name has
        // another identity.
    }
    if (auto err = journal.remove()) {
        out.error = *err;
        return;
    }
    out.ok = true;
}

std::optional<std::string> check_recorded_lab(Netlink& nl, const Journal& journal, const LabOptions& o,
                                              const std::string& hash) {
    // With a way to see the difference, a changed file is applied (converge_lab).
    const LabRecord& rec = journal.record();
    const std::string down = fmt::format("run `vethlab down --name {}` first", o.lab);
    if (!rec.complete) return fmt::format("lab '{}' holds what an interrupted `up` left; {}", o.lab, down);
    for (const auto* ns : rec.live())
        if (!nl.netns_exists(ns->name) || (ns->id && nl.netns_id(ns->name) != ns->id))
            return fmt::format("lab '{}' is recorded as up, but its namespace '{}' is gone or was replaced; {}",
                               o.lab, ns->name, down);
    if (rec.hash != hash && !o.drift)
        return fmt::format("lab '{}' is up from another version of {} (or another prefix); applying only the "
                           "difference is not implemented yet: {}, then up",
                           o.lab, rec.file, down);
    return std::nullopt;
}

std::vector<std::string> foreign_objects(Netlink& nl, const Topology& topo, const Plan& plan, const LabOptions& o) {
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& ns : plan.namespaces) {
        if (!seen.insert(ns).second || !nl.netns_exists(ns)) continue;
        const std::string owner = lab_owning(o.state_dir, ns, o.lab);
        out.push_back(fmt::format("namespace '{}' already exists and is not this lab's ({}); vethlab leaves it alone",
                                  ns, owner.empty() ? "vethlab did not make it" : "it belongs to lab '" + owner + "'"));
    }
    for (const auto& [name, edit] : plan.host_names)
        if (nl.host_has_link(name))
            out.push_back(fmt::format("{}: the host already has a link named '{}', so '{}' would fail there; vethlab "
                                      "leaves it alone",
                                      where(topo, edit), name, topo.edits[edit].text));
    return out;
}

}  // namespace

PlanCounts count_plan(const Plan& plan) {
    PlanCounts c;
    for (const auto& step : plan.steps) {
        const Operation& op = step.op;
        if (std::holds_alternative<AddNetns>(op)) ++c.namespaces;
        else if (std::holds_alternative<CreateVeth>(op)) ++c.veth_pairs;
        else if (std::holds_alternative<CreateLink>(op)) ++c.other_links;
        else if (auto* a = std::get_if<ChangeAddress>(&op); a && a->add) ++c.addresses;
        else if (std::holds_alternative<ChangeRoute>(op)) ++c.routes;
        else if (std::holds_alternative<SetSysctl>(op)) ++c.sysctls;
        else ++c.other;
    }
    return c;
}

UpOutcome lab_up(Netlink& nl, const Topology& topo, const std::string& file_text, const Plan& plan,
                 const LabOptions& o, const std::atomic<bool>& stop, const Progress& progress) {
    const auto start = std::chrono::steady_clock::now();
    UpOutcome out;
    auto finish = [&](UpResult r) {
        out.result = r;
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return out;
    };
    for (const auto& d : plan.refusals) out.errors.push_back(d.str());
    if (!out.errors.empty()) return finish(UpResult::refused);

    auto opened = Journal::open(o.state_dir, o.lab, true);
    if (!opened) {
        out.errors.push_back(opened.error());
        return finish(UpResult::refused);
    }
    Journal journal = std::move(opened).value();
    const std::string hash = lab_hash(file_text, o.prefix);
    if (!journal.empty()) {
        if (auto why = check_recorded_lab(nl, journal, o, hash)) {
            out.errors.push_back(*why);
            return finish(UpResult::refused);
        }
        if (!o.drift) return finish(UpResult::unchanged);
        return finish(converge_lab(nl, journal, topo.file, hash, o, stop, progress, out));
    }
    out.errors = foreign_objects(nl, topo, plan, o);
    if (!out.errors.empty()) {
        journal.remove();
        return finish(UpResult::refused);
    }
    if (auto err = journal.begin(topo.file, hash, o.prefix)) {
        out.errors.push_back(*err);
        return finish(UpResult::failed);
    }

    auto roll_back = [&](UpResult why) {
        DownOutcome down;
        remove_namespaces(nl, journal, down);
        out.rolled_back = down.removed;
        if (!down.ok) out.errors.push_back("rolling back: " + down.error);
        return finish(why);
    };
    for (const auto& step : plan.steps) {
        if (stop.load()) return roll_back(UpResult::interrupted);
        Status status;
        if (auto* add = std::get_if<AddNetns>(&step.op)) {
            if (auto err = journal.netns_intent(add->ns)) {
                out.errors.push_back(*err);
                return roll_back(UpResult::failed);
            }
            status = run(nl, step.op);
            if (status) journal.netns_gone(add->ns);  // never made: not ours to delete
            else if (auto id = nl.netns_id(add->ns)) journal.netns_made(add->ns, *id);
        } else {
            status = run(nl, step.op);
            if (auto* del = std::get_if<DelNetns>(&step.op); del && !status) journal.netns_gone(del->ns);
        }
        if (status) {
            out.errors.push_back(refusal(topo, step, *status));
            return roll_back(UpResult::failed);
        }
        ++out.steps_done;
        if (progress) progress(out.steps_done, plan.steps.size());
    }
    if (auto err = journal.complete()) {
        out.errors.push_back(*err);
        return roll_back(UpResult::failed);
    }
    return finish(UpResult::built);
}

DownOutcome lab_down(Netlink& nl, const std::string& state_dir, const std::string& lab) {
    DownOutcome out;
    auto opened = Journal::open(state_dir, lab, false);
    if (!opened) {
        out.error = opened.error();
        return out;
    }
    Journal journal = std::move(opened).value();
    remove_namespaces(nl, journal, out);
    return out;
}

}  // namespace vethlab::backend
