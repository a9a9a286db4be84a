#pragma once
// Runs the edits of an ip script on the real kernel, the way a user at a shell would
// (`ip`, `ip netns exec ... ping`, `sysctl`), in fresh namespaces of its own: every
// namespace name in the script gets the lab's prefix "vl<pid>-d<n>-", and the
// namespaces are deleted when the lab ends -- also when the run failed or threw.
// IPv6 is switched off in each namespace as it is made (the model is IPv4 only), and each
// veth end gets the MAC the simulator gives it (`address`), so that which port's MAC a
// bridge takes is the same on both.
//
// All commands of a run go to one /bin/sh (one process, not one per command); before an
// observation that follows a change, the shell waits until the kernel's asynchronous
// link work (linkwatch: operstate, qdisc, routes' linkdown marks) has caught up, by
// polling, never by a fixed sleep.
#include <optional>
#include <string>
#include <vector>

#include "model/edit.hpp"

namespace vethlab::backend {

// What one command printed on the kernel, prefix removed.
struct KernelStep {
    std::string out;  // observations: stdout and stderr in order; changes: stderr only
    int status = 0;   // the command's exit status
    bool skipped = false;  // not run (it would touch the host namespace)
    double uptime = -1;    // /proc/uptime when the command started (s, 10 ms steps); -1 unknown
};

class CommandLab {
public:
    CommandLab();   // picks a fresh prefix "vl<pid>-d<n>-"
    ~CommandLab();  // deletes every namespace the lab created
    CommandLab(const CommandLab&) = delete;
    CommandLab& operator=(const CommandLab&) = delete;

    const std::string& prefix() const { return prefix_; }
    // One KernelStep per edit, in order. Edits in the host namespace are not run
    // (skipped). Throws std::runtime_error when the shell cannot be started.
    std::vector<KernelStep> run(const std::vector<Edit>& edits);
    // Deletes the lab's namespaces now (the destructor does it too).
    void clear();

    // The edit with every namespace name prefixed; false when it would run in or move
    // something to the host namespace.
    bool localize(EditOp& op) const;
    std::string unlocalize(std::string text) const;

private:
    std::string prefix_;
    std::vector<std::string> created_;  // real names, for cleanup
};

// The edit with every namespace name given the prefix; false when it would run in or
// move something to the host namespace. Shared by CommandLab and the [kernel] tests' lab.
bool localize_edit(EditOp& op, const std::string& prefix);
// The text with every occurrence of the prefix removed (kernel messages, listings).
std::string unlocalize_text(std::string text, const std::string& prefix);

// Namespaces "vl<pid>-d<n>-*" left by a CommandLab whose process died (kill -9): their
// process no longer exists, so nobody else owns them. Returns how many were deleted.
int remove_orphan_labs();

// nullopt when this process may create namespaces and run ip; else why not.
std::optional<std::string> command_lab_unavailable();

}  // namespace vethlab::backend
