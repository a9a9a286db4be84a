#include "kernel_lab.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <utility>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "backend/command_lab.hpp"
#include "backend/privileges.hpp"
#include "model/ip_writer.hpp"
#include "sim/route_printer.hpp"

namespace vethlab::testing {
std::optional<std::string> kernel_unavailable() {
    if (auto missing = backend::missing_privileges()) return "kernel test skipped: " + *missing;
    if (run_shell("command -v ip >/dev/null").status != 0) return "kernel test skipped: iproute2 (ip) is not installed";
    return std::nullopt;
}

namespace {

// A test process that crashed (a signal skips destructors) leaves its labs behind:
// remove namespaces named "vl<pid>-<n>-..." whose process no longer exists.
void remove_orphans() {
    std::istringstream in(run_shell("ip netns list").out);
    std::string name, rest;
    while (in >> name) {
        std::getline(in, rest);
        if (name.rfind("vl", 0) != 0) continue;
        const auto dash = name.find('-');
        const std::string pid = name.substr(2, dash == std::string::npos ? 0 : dash - 2);
        if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;
        if (access(("/proc/" + pid).c_str(), F_OK) == 0) continue;  // still running: not ours to touch
        run_shell("ip netns del '" + name + "'");
    }
}

}  // namespace

KernelLab::KernelLab() {
    static std::atomic<int> counter{0};
    static const bool swept = (remove_orphans(), true);
    (void)swept;
    prefix_ = "vl" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-";
}

KernelLab::~KernelLab() {
    for (const auto& ns : namespaces()) run_shell("ip netns del '" + ns + "'");
}

std::vector<std::string> KernelLab::namespaces() const {
    std::vector<std::string> out;
    std::istringstream in(run_shell("ip netns list").out);
    std::string name, rest;
    while (in >> name) {
        std::getline(in, rest);
        if (name.rfind(prefix_, 0) == 0) out.push_back(name);
    }
    return out;
}

bool KernelLab::localize(EditOp& op) const { return backend::localize_edit(op, prefix_); }

std::string KernelLab::unlocalize(std::string text) const { return backend::unlocalize_text(std::move(text), prefix_); }

bool kernel_has_dummy() {
    static const bool has = [] {
        KernelLab lab;
        run_shell("ip netns add " + lab.real("probe"));
        return run_shell("ip -n " + lab.real("probe") + " link add d type dummy").status == 0;
    }();
    return has;
}

EditOp host_free(EditOp op) {
    if (auto* add = std::get_if<LinkAdd>(&op); add && add->ns.empty() && add->netns) {
        if (!add->peer_netns) add->peer_netns = add->ns;
        add->ns = *std::exchange(add->netns, std::nullopt);
    }
    return op;
}

void apply_on_both(const KernelLab& lab, NetState& st, const Edit& edit) {
    EditOp real = edit.op;
    REQUIRE(lab.localize(real));  // never the host namespace
    const auto model = st.apply(edit.op);
    const auto r = run_shell(format_command(real));
    std::string err = lab.unlocalize(r.err);
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    INFO("line " << edit.loc.line << ": " << edit.text);
    CHECK(model.value_or("<accepted>") == (r.status == 0 ? std::string("<accepted>") : err));
}

void wait_for_kernel(const KernelLab& lab, const NetState& st) {
    for (int attempt = 0; attempt < 40; ++attempt) {
        bool settled = true;
        for (const auto& [name, ns] : st.namespaces()) {
            if (name.empty()) continue;
            const std::string out = run_shell("ip -n " + lab.real(name) + " -o link").out;
            for (const auto& l : ns.links) {
                const auto at = out.find(": " + l.name + (l.kind == LinkKind::veth ? "@" : ":"));
                const auto flags_end = out.find('>', at);
                const bool lower_up =
                    at != std::string::npos && out.substr(at, flags_end - at).find("LOWER_UP") != std::string::npos;
                settled = settled && lower_up == st.carrier(ns, l);
            }
            const std::string routes = run_shell("ip -n " + lab.real(name) + " route show table main").out;
            settled = settled && lab.unlocalize(routes) == sim::format_ip_route(st, ns);
        }
        if (settled) return;
        run_shell("sleep 0.1");
    }
    // Still different after 4 s: the callers' own comparisons will show how.
}

std::string mesh_script(int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += fmt::format("ip netns add m{}\n", i);
    for (int i = 1; i <= n; ++i)
        for (int j = i + 1; j <= n; ++j)
            s += fmt::format("ip -n m{0} link add p{0}x{1} type veth peer name p{1}x{0} netns m{1}\n"
                             "ip -n m{0} addr add 10.{0}.{1}.1/30 dev p{0}x{1}\n"
                             "ip -n m{1} addr add 10.{0}.{1}.2/30 dev p{1}x{0}\n"
                             "ip -n m{0} link set p{0}x{1} up\nip -n m{1} link set p{1}x{0} up\n",
                             i, j);
    return s;
}

std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
    const std::string path = dir + "/" + name;
    std::ofstream(path) << text;
    return path;
}

}  // namespace vethlab::testing
