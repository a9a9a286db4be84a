#include "backend/command_lab.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <utility>

#include "backend/netns.hpp"
#include "backend/privileges.hpp"
#include "model/ip_writer.hpp"
#include "model/netstate.hpp"

namespace vethlab::backend {
namespace {

// Waits (at most 3 s) until every link of the namespaces shows an operstate that agrees
// with its carrier flag: LOWER_UP changes at once, operstate, the qdisc and the routes'
// linkdown marks follow in linkwatch's work.
constexpr const char* kPrologue = R"(vl_settle() {
  vl_i=0
  while [ $vl_i -lt 150 ]; do
    for vl_n in "$@"; do
      ip -n "$vl_n" -o link 2>/dev/null
    done | awk '{ l = ($0 ~ /[<,]LOWER_UP[,>]/); s = ($0 ~ / state (UP|UNKNOWN) /); if (l != s) bad = 1 } END { exit bad }' && return 0
    sleep 0.02
    vl_i=$((vl_i + 1))
  done
}
)";

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

std::string read_all(FILE* f) {
    std::string out;
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    return out;
}

// Splits the shell's output: "\x1e<i>:<uptime>\x1e" opens step i, "\x1f<status>\x1f" closes it.
void parse_steps(const std::string& text, std::vector<KernelStep>& steps) {
    size_t pos = 0;
    while ((pos = text.find('\x1e', pos)) != std::string::npos) {
        const size_t num_end = text.find('\x1e', pos + 1);
        if (num_end == std::string::npos) break;
        const std::string opener = text.substr(pos + 1, num_end - pos - 1);
        const size_t index = std::stoul(opener);
        const size_t close = text.find('\x1f', num_end + 1);
        if (close == std::string::npos || index >= steps.size()) break;
        if (const size_t colon = opener.find(':'); colon != std::string::npos && colon + 1 < opener.size())
            steps[index].uptime = std::strtod(opener.c_str() + colon + 1, nullptr);
        const size_t status_end = text.find('\x1f', close + 1);
        if (status_end == std::string::npos) break;
        steps[index].out = text.substr(num_end + 1, close - num_end - 1);
        steps[index].status = std::stoi(text.substr(close + 1, status_end - close - 1));
        pos = status_end + 1;
    }
}

}  // namespace

CommandLab::CommandLab() {
    static std::atomic<int> counter{0};
    prefix_ = "vl" + std::to_string(getpid()) + "-d" + std::to_string(counter++) + "-";
}

CommandLab::~CommandLab() { clear(); }

void CommandLab::clear() {
    for (const auto& ns : created_)
        if (netns_exists(ns)) (void)delete_netns(ns);
    created_.clear();
}

bool localize_edit(EditOp& op, const std::string& prefix) {
    bool host = false;
    auto fix = [&](std::string& ns) {
        if (ns.empty()) host = true;
        else ns = prefix + ns;
    };
    auto fix_opt = [&](std::optional<std::string>& ns) {
        if (ns) fix(*ns);
    };
    std::visit(
        [&](auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, NetnsAdd> || std::is_same_v<T, NetnsDel>) {
                e.name = prefix + e.name;
            } else {
                fix(e.ns);
                if constexpr (std::is_same_v<T, LinkAdd>) {
                    fix_opt(e.netns);
                    fix_opt(e.peer_netns);
                }
                if constexpr (std::is_same_v<T, LinkSet>) fix_opt(e.netns);
            }
        },
        op);
    return !host;
}

std::string unlocalize_text(std::string text, const std::string& prefix) {
    replace_all(text, prefix, "");
    return text;
}

bool CommandLab::localize(EditOp& op) const { return localize_edit(op, prefix_); }

std::string CommandLab::unlocalize(std::string text) const { return unlocalize_text(std::move(text), prefix_); }

namespace {

// The MACs the model gave a veth pair it just created, as `address` and `peer ... address`.
void pin_veth_macs(const NetState& st, LinkAdd& add) {
    const Namespace* home = st.ns(add.netns.value_or(add.ns));
    const Namespace* peer_home = st.ns(add.peer_netns.value_or(add.ns));
    const Link* end = home ? home->link(add.name) : nullptr;
    const Link* peer = peer_home ? peer_home->link(add.peer) : nullptr;
    if (!add.mac && end) add.mac = end->mac;
    if (!add.peer_mac && peer) add.peer_mac = peer->mac;
}

}  // namespace

std::vector<KernelStep> CommandLab::run(const std::vector<Edit>& edits) {
    std::vector<KernelStep> steps(edits.size());
    std::string script = kPrologue;
    std::string live;  // the lab's namespaces so far, quoted, for vl_settle
    bool changed = false;
    // The MACs the twin gives each veth end (NetState numbers them as it creates them),
    // given to the kernel's too: a bridge takes its ports' smallest MAC and flushes its
    // neighbours when that changes (a port leaves), so random MACs in the kernel made the
    // same script flush there in some runs and not in others (fuzz-diff seed 7242).
    NetState twin;
    for (size_t i = 0; i < edits.size(); ++i) {
        EditOp op = edits[i].op;
        const bool made = !twin.apply(edits[i].op);
        if (auto* add = std::get_if<LinkAdd>(&op); add && made && add->kind == LinkKind::veth)
            pin_veth_macs(twin, *add);
        if (!localize(op)) {
            steps[i].skipped = true;
            continue;
        }
        if (const auto* add = std::get_if<NetnsAdd>(&op)) {
            created_.push_back(add->name);
            live += " " + shell_quote(add->name);
        }
        const bool observation = edits[i].is_observation();
        // Only link changes wait for linkwatch: addresses, routes and sysctls act at once.
        if (std::holds_alternative<LinkAdd>(op) || std::holds_alternative<LinkSet>(op) ||
            std::holds_alternative<LinkDel>(op) || std::holds_alternative<NetnsDel>(op))
            changed = true;
        else if (std::exchange(changed, false) && !live.empty()) script += "vl_settle" + live + "\n";
        std::string command = std::holds_alternative<Sleep>(op)
                                        ? "sleep " + std::to_string(std::get<Sleep>(op).seconds)
                                        : format_command(op);
        // `ip netns exec` also makes a mount namespace and remounts /sys for every
        // command; joining the network namespace is all ping, route -n and sysctl need
        // (/proc/net and /proc/sys/net follow the caller's network namespace).
        if (command.rfind("ip netns exec ", 0) == 0) {
            const size_t name_end = command.find(' ', 14);
            command = "nsenter --net=" + shell_quote(netns_path(command.substr(14, name_end - 14))) +
                      command.substr(name_end);
        }
        // The model is IPv4 only, so the lab's namespaces are too: IPv6 is switched off in
        // each as it is made, before any device (default) and for lo (all). Else the ND,
        // MLD and router solicitations every device sends as it comes up teach the
        // kernel's bridges MACs the simulator's never see (`bridge fdb show`).
        if (const auto* add = std::get_if<NetnsAdd>(&op))
            command += " && { nsenter --net=" + shell_quote(netns_path(add->name)) +
                       " sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1"
                       " >/dev/null 2>&1 || :; }";
        // The model is IPv4 only: `ip addr` is asked for IPv4 (else the kernel adds the
        // IPv6 link-local addresses it gives every device).
        const auto* show = std::get_if<Show>(&op);
        if (show && show->what == ShowWhat::ip_addr && command.rfind("ip ", 0) == 0) command.insert(3, "-4 ");
        // The kernel's clock at the start of each command (a builtin read: no process), so
        // the comparison knows how far it ran from the twin's.
        script += "read vl_up vl_idle </proc/uptime\n";
        script += "printf '\\036" + std::to_string(i) + ":%s\\036' \"$vl_up\"\n";
        script += "{ " + command + "\n}" + (observation ? " 2>&1" : " 2>&1 >/dev/null") + " </dev/null\n";
        script += "printf '\\037%d\\037' $?\n";
    }

    char path[] = "/tmp/vethlab-diff-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file in /tmp");
    const bool written = write(fd, script.data(), script.size()) == ssize_t(script.size());
    close(fd);
    if (!written) {
        unlink(path);
        throw std::runtime_error("cannot write the temporary script " + std::string(path));
    }
    FILE* sh = popen(("/bin/sh " + std::string(path) + " 2>/dev/null").c_str(), "r");
    if (!sh) {
        unlink(path);
        throw std::runtime_error("cannot start /bin/sh");
    }
    const std::string text = read_all(sh);
    pclose(sh);
    unlink(path);
    parse_steps(text, steps);
    for (auto& s : steps) s.out = unlocalize(std::move(s.out));
    return steps;
}

int remove_orphan_labs() {
    static const std::regex name("vl([0-9]+)-d[0-9]+-.*");
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(kNetnsRunDir, ec)) {
        const std::string n = entry.path().filename().string();
        std::smatch m;
        if (!std::regex_match(n, m, name)) continue;
        if (access(("/proc/" + m[1].str()).c_str(), F_OK) == 0) continue;  // alive: not ours to touch
        if (!delete_netns(n)) ++removed;
    }
    return removed;
}

std::optional<std::string> command_lab_unavailable() {
    if (auto missing = missing_privileges()) return missing;
    if (system("command -v ip >/dev/null 2>&1 && command -v ping >/dev/null 2>&1") != 0)
        return std::string("ip (iproute2) or ping (iputils) is not installed");
    return std::nullopt;
}

}  // namespace vethlab::backend
