// up of a lab that is already up: only the difference between the file and the kernel.
#include <fmt/format.h>

#include "backend/journal.hpp"
#include "backend/lab.hpp"

namespace vethlab::backend {

UpResult converge_lab(Netlink& nl, Journal& journal, const std::string& file, const std::string& hash,
                      const LabOptions& o, const std::atomic<bool>& stop, const Progress& progress, UpOutcome& out) {
    std::vector<std::string> live;
    for (const auto* ns : journal.record().live()) live.push_back(ns->name);
    auto drift = o.drift(live);
    if (!drift) {
        out.errors.push_back(drift.error());
        return UpResult::failed;
    }
    // A namespace to make must not be someone else's (checked before anything changes).
    for (const auto& op : drift->ops)
        if (auto* add = std::get_if<AddNetns>(&op); add && nl.netns_exists(add->ns)) {
            const std::string owner = lab_owning(o.state_dir, add->ns, o.lab);
            out.errors.push_back(fmt::format(
                "namespace '{}' already exists and is not this lab's ({}); vethlab leaves it alone", add->ns,
                owner.empty() ? "vethlab did not make it" : "it belongs to lab '" + owner + "'"));
        }
    if (!out.errors.empty()) return UpResult::refused;
    out.differences = drift->differences;
    for (const auto& op : drift->ops) {
        if (stop.load()) {
            out.errors.push_back("stopped half-way: the lab holds part of the change; run up again, or down");
            return UpResult::interrupted;
        }
        Status status;
        if (auto* add = std::get_if<AddNetns>(&op)) {
            if (auto err = journal.netns_intent(add->ns)) {
                out.errors.push_back(*err);
                return UpResult::failed;
            }
            status = run(nl, op);
            if (status) journal.netns_gone(add->ns);
            else if (auto id = nl.netns_id(add->ns)) journal.netns_made(add->ns, *id);
        } else {
            status = run(nl, op);
            if (auto* del = std::get_if<DelNetns>(&op); del && !status) journal.netns_gone(del->ns);
        }
        if (status) {
            out.errors.push_back(fmt::format("the kernel refused '{}': {}; the lab holds part of the change",
                                             fmt::join(ip_commands(op), "; "), *status));
            return UpResult::failed;
        }
        ++out.steps_done;
        if (progress) progress(out.steps_done, drift->ops.size());
    }
    if (journal.record().hash != hash)
        if (auto err = journal.retarget(file, hash)) {
            out.errors.push_back(*err);
            return UpResult::failed;
        }
    return drift->ops.empty() ? UpResult::unchanged : UpResult::changed;
}

}  // namespace vethlab::backend
