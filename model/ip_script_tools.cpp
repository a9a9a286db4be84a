// The commands beside ip: iputils ping, net-tools `route -n`, procps sysctl, and
// `echo VALUE > /proc/sys/...`.
#include <climits>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "model/ip_script_detail.hpp"
#include "model/names.hpp"

namespace vethlab::ipscript {
namespace {

// ping's getopt string (iputils 20221126): options taking a value, and plain flags.
constexpr std::string_view kPingWithValue = "ceFiIlmMpQsStTwW";
constexpr std::string_view kPingFlags = "46aAbBdDfhLnOqrRUvV";

bool ping_number(Cursor& c, const Word& at, char opt, std::string_view arg, Ping& p) {
    const auto bad = [&](std::string_view why) {
        c.error(at, fmt::format("'-{}' {}, got '{}'", opt, why, show(arg)));
        return false;
    };
    if (opt == 'c' || opt == 't') {
        const auto n = parse_uint(arg, 10);
        if (!n) return bad("needs a number");
        if (opt == 'c' && (*n < 1 || *n > uint32_t(INT_MAX))) return bad("must be at least 1");
        if (opt == 't' && (*n < 1 || *n > 255)) return bad("must be 1..255");
        (opt == 'c' ? p.count : p.ttl) = int(*n);
        return true;
    }
    const auto s = parse_seconds(arg);
    if (!s) return bad("needs a number of seconds");
    if (*s > kMaxCommandSeconds) return bad("longer than a day is not supported");
    if (opt == 'i') p.interval = *s;
    if (opt == 'W') p.timeout = *s;
    if (opt == 'w') p.deadline = *s;
    return true;
}

// The value of option `opt` (written in `at`); unsupported options are reported at `opt_word`.
bool ping_value(Cursor& c, const Word& opt_word, const Word& at, char opt, std::string_view arg, Ping& p) {
    if (opt == 'I') {
        if (auto why = check_ifname(arg)) return c.error(at, *why), false;
        p.iface = std::string(arg);
        return true;
    }
    if (std::string_view("ciWwt").find(opt) != std::string_view::npos) return ping_number(c, at, opt, arg, p);
    c.error(opt_word, fmt::format("ping option '-{}' is not supported", opt));
    return false;
}

// One word of options ("-c", "-c3", "-qc", "-4"); false when the command stops.
bool ping_options(Cursor& c, const Word& w, Ping& p) {
    for (size_t i = 1; i < w.text.size(); ++i) {
        const char o = w.text[i];
        if (o == 'q' || o == '4' || o == 'n') {
            p.quiet = p.quiet || o == 'q';
        } else if (kPingWithValue.find(o) != std::string_view::npos) {
            if (i + 1 < w.text.size()) return ping_value(c, w, w, o, std::string_view(w.text).substr(i + 1), p);
            if (c.done()) return c.error(w, fmt::format("'-{}' needs a value", o)), false;
            const Word& v = c.take();
            return ping_value(c, w, v, o, v.text, p);
        } else if (kPingFlags.find(o) != std::string_view::npos) {
            return c.error(w, fmt::format("ping option '-{}' is not supported", o)), false;
        } else {
            return c.error(w, fmt::format("invalid ping option '-{}'", show(std::string_view(&o, 1)))), false;
        }
    }
    return true;
}

}  // namespace

void parse_ping(Cursor& c, const Ctx& ctx, const Word& program) {
    Ping p;
    p.ns = ctx.ns;
    const size_t errors = c.error_count();
    const Word* dst = nullptr;
    bool options = true;
    while (!c.done()) {
        const Word& w = c.take();
        if (dst) {
            return c.error(w, fmt::format("unexpected word '{}' after the destination '{}' (ping reads options only "
                                          "before it, and takes one destination)",
                                          show(w.text), show(dst->text)));
        }
        if (options && w.text == "--") {
            options = false;
        } else if (options && w.text.size() > 1 && w.text[0] == '-') {
            if (!ping_options(c, w, p)) return;
        } else {
            dst = &w;
        }
    }
    if (!dst) return c.error(program, "'ping' needs a destination address");
    auto a = Ipv4::parse(dst->text);
    if (!a) return c.error(*dst, a.error());
    p.dst = *a;
    // The simulator replays every ping: its work is bounded here, with the reason.
    if (p.probes() > kPingMaxProbes)
        return c.error(program, fmt::format("'ping' sending more than {} probes is not supported{}", kPingMaxProbes,
                                            p.count ? "" : " (-w with a tiny -i: give -c)"));
    if (p.max_seconds() > kMaxCommandSeconds)
        return c.error(program, "'ping' running longer than a day is not supported (-c times -i, plus -W)");
    if (c.error_count() == errors) ctx.out->push_back(p);
}

void parse_route_n(Cursor& c, const Ctx& ctx, const Word& program) {
    if (c.done() || c.peek().text != "-n")
        return c.error(c.done() ? program : c.peek(), "'route' is only supported as 'route -n'");
    c.take();
    if (!c.done()) return c.unexpected(c.take());
    ctx.out->push_back(Show{ctx.ns, ShowWhat::route_n, false, std::nullopt, std::nullopt});
}

// bridge.c and fdb.c of iproute2: `bridge [-n NS] fdb [show|list|lst] [br BR]`, the only
// bridge command supported (an observation).
void parse_bridge(Cursor& c, Ctx ctx, const Word& program) {
    while (!c.done() && c.peek().text.starts_with('-')) {
        const Word& w = c.take();
        if (w.text != "-n" && w.text != "-netns")
            return c.error(w, fmt::format("bridge option '{}' is not supported (only -n NS)", show(w.text)));
        const Word* ns = c.value(w);
        if (!ns) return;
        if (auto why = check_netns_name(ns->text)) return c.error(*ns, *why);
        ctx.ns = ns->text;
    }
    if (c.done() || !matches(c.peek().text, "fdb"))
        return c.error(c.done() ? program : c.peek(), "'bridge' is only supported as 'bridge fdb show [br BR]'");
    c.take();
    if (!c.done() && (matches(c.peek().text, "show") || matches(c.peek().text, "lst") || matches(c.peek().text, "list")))
        c.take();
    Show s{ctx.ns, ShowWhat::bridge_fdb, false, std::nullopt, std::nullopt};
    while (!c.done()) {
        const Word& w = c.take();
        if (w.text != "br") return c.error(w, fmt::format("'bridge fdb show {}' is not supported (only 'br BR')", show(w.text)));
        const Word* br = c.value(w);
        if (!br) return;
        s.dev = br->text;
    }
    ctx.out->push_back(std::move(s));
}

std::string sysctl_key(std::string_view raw) {
    std::string key(raw);
    for (char& ch : key)
        if (ch == '/') ch = '.';
    return key;
}

std::optional<std::string> sysctl_key_error(std::string_view key) {
    if (key.empty()) return "empty sysctl key";
    if (key.find_first_of(" \t\n") != std::string_view::npos || key.find("..") != std::string_view::npos ||
        key.back() == '.' || key.front() == '.')
        return fmt::format("malformed sysctl key '{}'", show(key));
    if (!key.starts_with("net."))
        return fmt::format("sysctl '{}' is not per network namespace; only net.* keys are supported", show(key));
    return std::nullopt;
}

namespace {

void sysctl_assignment(Cursor& c, const Ctx& ctx, const Word& w) {
    const auto eq = w.text.find('=');
    if (eq == std::string::npos)
        return c.error(w, fmt::format("reading sysctl '{}' is not supported (only 'sysctl -w key=value')",
                                      show(w.text)));
    const std::string key = sysctl_key(w.text.substr(0, eq));
    if (auto why = sysctl_key_error(key)) return c.error(w, *why);
    if (eq + 1 == w.text.size()) return c.error(w, fmt::format("'{}' needs a value after '='", show(w.text)));
    ctx.out->push_back(SysctlSet{ctx.ns, key, w.text.substr(eq + 1)});
}

}  // namespace

void parse_sysctl(Cursor& c, const Ctx& ctx, const Word& program) {
    bool any = false;
    while (!c.done()) {
        const Word& w = c.take();
        if (w.text.size() > 1 && w.text[0] == '-') {
            if (w.text.find_first_not_of("wqe", 1) != std::string::npos)
                return c.error(w, fmt::format("sysctl option '{}' is not supported (only -w, -q, -e)", show(w.text)));
            continue;
        }
        sysctl_assignment(c, ctx, w);
        any = true;
    }
    if (!any) c.error(program, "'sysctl' needs 'key=value'");
}

// coreutils sleep: NUMBER[smhd], the sum of several; at most a day in a script.
void parse_sleep(Cursor& c, const Ctx& ctx, const Word& program) {
    double total = 0;
    bool any = false;
    while (!c.done()) {
        const Word& w = c.take();
        const std::string& t = w.text;
        double unit = 1;
        std::string number = t;
        if (!t.empty() && std::string_view("smhd").find(t.back()) != std::string_view::npos) {
            unit = t.back() == 'm' ? 60 : t.back() == 'h' ? 3600 : t.back() == 'd' ? 86400 : 1;
            number.pop_back();
        }
        size_t used = 0;
        double v = -1;
        try {
            v = number.empty() || number[0] == '-' || number[0] == '+' ? -1 : std::stod(number, &used);
        } catch (const std::exception&) {
            v = -1;
        }
        if (v < 0 || used != number.size() || !std::isfinite(v))
            return c.error(w, fmt::format("invalid time interval '{}' for 'sleep'", show(t)));
        total += v * unit;
        any = true;
    }
    if (!any) return c.error(program, "'sleep' needs a time (seconds, e.g. 'sleep 2')");
    if (total > kMaxCommandSeconds) return c.error(program, "'sleep' longer than a day is not supported");
    ctx.out->push_back(Sleep{ctx.ns, total});
}

void parse_echo(Cursor& c, const Ctx& ctx, const Word& redirect_op, const Word& target) {
    const Word& echo = c.last();
    while (!c.done() && (c.peek().text == "-n" || c.peek().text == "-e")) c.take();
    if (c.done()) return c.error(echo, "'echo' needs a value");
    const Word& value = c.take();
    if (!c.done()) return c.unexpected(c.take());
    if (redirect_op.text != ">")
        return c.error(redirect_op,
                       fmt::format("redirection '{}' is not supported (only '>')", show(redirect_op.text)));
    constexpr std::string_view root = "/proc/sys/";
    if (!target.text.starts_with(root))
        return c.error(target, fmt::format("'echo' can only write to /proc/sys/..., not '{}'", show(target.text)));
    const std::string key = sysctl_key(std::string_view(target.text).substr(root.size()));
    if (auto why = sysctl_key_error(key)) return c.error(target, *why);
    ctx.out->push_back(SysctlSet{ctx.ns, key, value.text});
}

}  // namespace vethlab::ipscript
