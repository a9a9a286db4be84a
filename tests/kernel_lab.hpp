#pragma once
// Throwaway namespaces on the real kernel for [kernel] tests: a per-run prefix that
// cannot clash, commands run with /bin/sh, and cleanup of everything with the prefix
// when the lab goes out of scope -- also when the test fails.
#include <optional>
#include <string>
#include <vector>

#include "analysis/diff_compare.hpp"
#include "model/edit.hpp"
#include "model/netstate.hpp"
#include "shell.hpp"

namespace vethlab::testing {

// nullopt when this process may create namespaces; else why not (for the skip message).
std::optional<std::string> kernel_unavailable();

class KernelLab {
public:
    KernelLab();   // picks a fresh prefix "vl<pid>-<n>-"
    ~KernelLab();  // deletes every namespace with the prefix
    KernelLab(const KernelLab&) = delete;
    KernelLab& operator=(const KernelLab&) = delete;

    const std::string& prefix() const { return prefix_; }
    std::string real(const std::string& ns) const { return ns.empty() ? ns : prefix_ + ns; }
    // The edit with every namespace name prefixed. Returns false for edits that would
    // touch the host namespace (those are never run).
    bool localize(EditOp& op) const;
    // Removes the prefix from a kernel message so it compares with the model's.
    std::string unlocalize(std::string text) const;
    std::vector<std::string> namespaces() const;  // live ones with the prefix

private:
    std::string prefix_;
};

// Whether this kernel has the dummy driver (KERNEL-NOTES: not every one does): probed
// once, in a throwaway namespace of its own, never in the host namespace.
bool kernel_has_dummy();

// `ip link add X netns A ... peer Y netns B` run from the host touches only A and B: the
// same edit run in A (`ip -n A link add X ... peer Y netns B`), as a lab may run it.
EditOp host_free(EditOp op);

// One configuration edit on the model and on the kernel (through ip, in the lab): both
// must accept it, or refuse it with the same message.
void apply_on_both(const KernelLab& lab, NetState& st, const Edit& edit);

// Carrier reaches the kernel asynchronously: LOWER_UP changes at once, but linkwatch's
// NETDEV_CHANGE -- which marks routes linkdown and flushes neighbours -- follows up to a
// second later. Waits until the flags and the main tables (linkdown marks included) are
// what the model says, for at most 4 s (the callers' comparisons then show what differs).
void wait_for_kernel(const KernelLab& lab, const NetState& st);

// A full mesh of n namespaces m1..mn: pair i<j is veth pij -- pji with 10.i.j.1/30 and
// .2/30, both ends up; each pair is created, addressed and set up before the next.
std::string mesh_script(int n);

// Writes text to DIR/NAME and returns that path.
std::string write_file(const std::string& dir, const std::string& name, const std::string& text);

// Kernel MACs are random: every MAC but the all-zero and broadcast ones becomes "<mac>"
// (the differential test's normalisation).
using analysis::mask_macs;

}  // namespace vethlab::testing
