// `ip [OPTIONS] OBJECT ...`: the options and objects of ip.c, and the small objects
// (netns, address, neigh). Keyword tables follow iproute2's order of matching.
#include <algorithm>

#include <fmt/format.h>

#include "model/ip_script_detail.hpp"
#include "model/names.hpp"

namespace vethlab::ipscript {
namespace {

enum class Opt { unsupported, family, inet4, brief, netns };

struct Option {
    std::string_view name;
    Opt what;
    bool exact = false;
    bool takes_arg = false;
};

// ip.c main(): the order of its if-chain decides abbreviations ("-b" is -batch).
constexpr Option kOptions[] = {
    {"-loops", Opt::unsupported, false, true}, {"-family", Opt::family, false, true},
    {"-4", Opt::inet4, true},                  {"-6", Opt::unsupported, true},
    {"-0", Opt::unsupported, true},            {"-D", Opt::unsupported, true},
    {"-M", Opt::unsupported, true},            {"-B", Opt::unsupported, true},
    {"-human", Opt::unsupported},              {"-human-readable", Opt::unsupported},
    {"-iec", Opt::unsupported},                {"-stats", Opt::unsupported},
    {"-statistics", Opt::unsupported},         {"-details", Opt::unsupported},
    {"-resolve", Opt::unsupported},            {"-oneline", Opt::unsupported},
    {"-timestamp", Opt::unsupported},          {"-tshort", Opt::unsupported},
    {"-Version", Opt::unsupported},            {"-force", Opt::unsupported},
    {"-batch", Opt::unsupported, false, true}, {"-brief", Opt::brief},
    {"-json", Opt::unsupported},               {"-pretty", Opt::unsupported},
    {"-rcvbuf", Opt::unsupported, false, true}, {"-color", Opt::unsupported},
    {"-colour", Opt::unsupported},             {"-help", Opt::unsupported},
    {"-netns", Opt::netns, false, true},       {"-Numeric", Opt::unsupported},
    {"-all", Opt::unsupported},
};

const Option* find_option(std::string_view opt) {
    if (opt.size() > 1 && opt[1] == '-') opt.remove_prefix(1);  // --brief
    const auto eq = opt.find('=');                                // -color=always
    if (eq != std::string_view::npos) opt = opt.substr(0, eq);
    for (const auto& o : kOptions)
        if (o.exact ? opt == o.name : matches(opt, o.name)) return &o;
    return nullptr;
}

// One option of `ip`; false when the command cannot be read further.
bool ip_option(Cursor& c, const Word& w, Ctx& ctx) {
    const Option* o = find_option(w.text);
    if (!o) return c.error(w, fmt::format("unknown ip option '{}'", show(w.text))), false;
    const Word* arg = o->takes_arg ? c.value(w) : nullptr;
    if (o->takes_arg && !arg) return false;
    switch (o->what) {
        case Opt::unsupported:
            return c.error(w, o->exact || w.text == o->name
                                  ? fmt::format("ip option '{}' is not supported", show(w.text))
                                  : fmt::format("ip option '{}' ({}) is not supported", show(w.text), o->name)),
                   false;
        case Opt::family:
            if (arg->text != "inet")
                return c.error(*arg, fmt::format("only IPv4 is supported: '-family {}'", show(arg->text))), false;
            return true;
        case Opt::inet4: return true;
        case Opt::brief: ctx.brief = true; return true;
        case Opt::netns:
            if (auto why = check_netns_name(arg->text)) return c.error(*arg, *why), false;
            ctx.ns = arg->text;
            return true;
    }
    return true;
}

enum class Obj { unsupported, address, route, neigh, link, tuntap, netns };

// ip.c cmds[], in order: "a" is address, "n" neighbor, "l" link, "t" tunnel.
constexpr Choice<Obj> kObjects[] = {
    {"address", Obj::address}, {"addrlabel", Obj::unsupported}, {"maddress", Obj::unsupported},
    {"route", Obj::route},     {"rule", Obj::unsupported},      {"neighbor", Obj::neigh},
    {"neighbour", Obj::neigh}, {"ntable", Obj::unsupported},    {"ntbl", Obj::unsupported},
    {"link", Obj::link},       {"l2tp", Obj::unsupported},      {"fou", Obj::unsupported},
    {"ila", Obj::unsupported}, {"macsec", Obj::unsupported},    {"tunnel", Obj::unsupported},
    {"tunl", Obj::unsupported}, {"tuntap", Obj::tuntap},        {"tap", Obj::tuntap},
    {"token", Obj::unsupported}, {"tcpmetrics", Obj::unsupported}, {"tcp_metrics", Obj::unsupported},
    {"monitor", Obj::unsupported}, {"xfrm", Obj::unsupported},  {"mroute", Obj::unsupported},
    {"mrule", Obj::unsupported}, {"netns", Obj::netns},          {"netconf", Obj::unsupported},
    {"vrf", Obj::unsupported}, {"sr", Obj::unsupported},        {"nexthop", Obj::unsupported},
    {"mptcp", Obj::unsupported}, {"ioam", Obj::unsupported},    {"stats", Obj::unsupported},
    {"help", Obj::unsupported},
};

}  // namespace

void parse_ip(Cursor& c, Ctx ctx) {
    const Word& ip = c.last();
    while (!c.done() && c.peek().text.starts_with('-')) {
        const Word& w = c.take();
        if (w.text == "--") break;
        if (!ip_option(c, w, ctx)) return;
    }
    if (c.done()) return c.error(ip, "'ip' needs an object (link, address, route, neigh, netns, tuntap)");
    const Word& obj = c.take();
    const Choice<Obj>* o = first_match(obj.text, kObjects);
    if (!o) return c.error(obj, fmt::format("unknown command 'ip {}'", show(obj.text)));
    switch (o->value) {
        case Obj::unsupported: return c.error(obj, fmt::format("'ip {}' is not supported", o->name));
        case Obj::address: return parse_addr(c, ctx, obj);
        case Obj::route: return parse_route(c, ctx, obj);
        case Obj::neigh: return parse_neigh(c, ctx, obj);
        case Obj::link: return parse_link(c, ctx, obj);
        case Obj::tuntap: return parse_tuntap(c, ctx, obj);
        case Obj::netns: return parse_netns(c, ctx, obj);
    }
}

// ---- ip netns ------------------------------------------------------------------

namespace {

enum class NetnsVerb { unsupported, add, del, exec };

// ipnetns.c do_netns(): list/show first, so "s" is show and "e" is exec.
constexpr Choice<NetnsVerb> kNetnsVerbs[] = {
    {"list", NetnsVerb::unsupported}, {"show", NetnsVerb::unsupported},     {"lst", NetnsVerb::unsupported},
    {"list-id", NetnsVerb::unsupported}, {"help", NetnsVerb::unsupported}, {"add", NetnsVerb::add},
    {"set", NetnsVerb::unsupported},  {"delete", NetnsVerb::del},           {"identify", NetnsVerb::unsupported},
    {"pids", NetnsVerb::unsupported}, {"exec", NetnsVerb::exec},            {"monitor", NetnsVerb::unsupported},
    {"attach", NetnsVerb::unsupported},
};

const Word* netns_name(Cursor& c, const Word& verb, std::string_view canon) {
    if (c.done()) return c.error(verb, fmt::format("'ip netns {}' needs a namespace name", canon)), nullptr;
    const Word& name = c.take();
    if (auto why = check_netns_name(name.text)) return c.error(name, *why), nullptr;
    return &name;
}

void netns_exec(Cursor& c, const Ctx& ctx, const Word& verb) {
    const Word* ns = netns_name(c, verb, "exec");
    if (!ns) return;
    if (c.done()) return c.error(*ns, fmt::format("'ip netns exec {}' needs a command", show(ns->text)));
    parse_program(c, Ctx{ns->text, false, ctx.out});
}

}  // namespace

void parse_netns(Cursor& c, const Ctx& ctx, const Word& object) {
    if (c.done()) return c.error(object, "'ip netns' (list) is not supported");
    const Word& verb = c.take();
    const Choice<NetnsVerb>* v = first_match(verb.text, kNetnsVerbs);
    if (!v) return c.error(verb, fmt::format("unknown command 'ip netns {}'", show(verb.text)));
    if (v->value == NetnsVerb::unsupported)
        return c.error(verb, fmt::format("'ip netns {}' is not supported", v->name));
    if (v->value == NetnsVerb::exec) return netns_exec(c, ctx, verb);
    const Word* name = netns_name(c, verb, v->name);
    if (!name) return;
    if (!c.done()) return c.unexpected(c.take());
    if (v->value == NetnsVerb::add)
        ctx.out->push_back(NetnsAdd{name->text});
    else
        ctx.out->push_back(NetnsDel{name->text});
}

// ---- shows of links, addresses and neighbours -------------------------------------

namespace {

// Filters of `ip link|addr show` other than the device (ipaddress.c).
constexpr std::string_view kShowFilters[] = {
    "to",        "scope",      "up",        "label",     "type",     "master",   "vrf",     "nomaster",
    "group",     "primary",    "secondary", "dynamic",   "permanent", "tentative", "deprecated",
    "dadfailed", "temporary",  "home",      "nodad",     "noprefixroute", "autojoin", "proto", "help",
};

void parse_show(Cursor& c, const Ctx& ctx, ShowWhat what, std::string_view command) {
    Show s{ctx.ns, what, ctx.brief, std::nullopt, std::nullopt};
    while (!c.done()) {
        const Word& w = c.take();
        const Word* dev = &w;
        const bool filter =
            std::find(std::begin(kShowFilters), std::end(kShowFilters), w.text) != std::end(kShowFilters);
        if (w.text == "dev") {
            if (!(dev = c.value(w))) return;
        } else if (filter || what == ShowWhat::ip_neigh) {
            return c.error(w, fmt::format("'{}' is not supported in '{}' (only 'dev NAME')", show(w.text), command));
        }
        if (s.dev) return c.unexpected(*dev);
        if (auto why = check_ifname(dev->text)) return c.error(*dev, *why);
        s.dev = dev->text;
    }
    ctx.out->push_back(s);
}

enum class AddrVerb { unsupported, add, del, show };

constexpr Choice<AddrVerb> kAddrVerbs[] = {
    {"add", AddrVerb::add},       {"change", AddrVerb::unsupported}, {"chg", AddrVerb::unsupported, true},
    {"replace", AddrVerb::unsupported}, {"delete", AddrVerb::del},  {"list", AddrVerb::show},
    {"show", AddrVerb::show},     {"lst", AddrVerb::show},           {"flush", AddrVerb::unsupported},
    {"save", AddrVerb::unsupported}, {"showdump", AddrVerb::unsupported}, {"restore", AddrVerb::unsupported},
    {"help", AddrVerb::unsupported},
};

// Keywords of ipaddress.c ipaddr_modify() that vethlab does not model.
bool addr_unsupported(const std::string& w, bool& takes_value) {
    static constexpr std::string_view with_value[] = {"peer", "remote", "anycast", "label", "metric", "priority",
                                                      "preference"};
    static constexpr std::string_view flags[] = {"home", "nodad", "mngtmpaddr", "noprefixroute", "autojoin"};
    takes_value = matches(w, "valid_lft") || matches(w, "preferred_lft") ||
                  std::find(std::begin(with_value), std::end(with_value), w) != std::end(with_value);
    return takes_value || std::find(std::begin(flags), std::end(flags), w) != std::end(flags);
}

struct AddrArgs {
    std::optional<IfAddr> addr;
    bool len_given = false;
    const Word* addr_word = nullptr;
    const Word* dev = nullptr;
    const Word* scope = nullptr;
    const Word* brd = nullptr;
};

void addr_local(Cursor& c, const Word& w, AddrArgs& a) {
    const Word* v = w.text == "local" ? c.value(w) : &w;
    if (!v) return;
    if (matches(v->text, "help")) return c.error(*v, "'help' is not supported in 'ip address'");
    if (a.addr_word) return c.unexpected(*v);
    auto parsed = IfAddr::parse(v->text);
    if (!parsed) return c.error(*v, parsed.error());
    a.addr = *parsed;
    a.addr_word = v;
    a.len_given = v->text.find('/') != std::string::npos;
}

void addr_word(Cursor& c, const Word& w, AddrArgs& a, std::string_view command) {
    bool takes_value = false;
    if (w.text == "dev") {
        const Word* d = c.value(w);
        if (d && a.dev) return c.error(*d, "'dev' given twice");
        if (d && check_ifname(d->text)) return c.error(*d, *check_ifname(d->text));
        a.dev = d;
    } else if (matches(w.text, "broadcast") || w.text == "brd") {
        const Word* v = c.value(w);
        if (v && a.brd) return c.error(*v, "'brd' given twice");
        if (v && !parse_broadcast(v->text, IfAddr())) return c.error(*v, parse_broadcast(v->text, IfAddr()).error());
        a.brd = v;
    } else if (w.text == "scope") {
        a.scope = c.value(w);
    } else if (addr_unsupported(w.text, takes_value)) {
        c.error(w, fmt::format("'{}' is not supported in '{}'", show(w.text), command));
        if (takes_value && !c.done()) c.take();
    } else {
        addr_local(c, w, a);
    }
}

void check_addr_scope(Cursor& c, const AddrArgs& a) {
    if (!a.scope || !a.addr) return;
    const auto scope = route_scope_from(a.scope->text);
    const RouteScope def = a.addr->local().is_loopback() ? RouteScope::host : RouteScope::universe;
    if (!scope) return c.error(*a.scope, fmt::format("invalid \"scope\" value '{}'", show(a.scope->text)));
    if (*scope != def)
        c.error(*a.scope, fmt::format("'scope {}' is not supported for {} (only its default, '{}')",
                                      show(a.scope->text), a.addr->str(), to_string(def)));
}

// iproute2's ipaddr_modify; on delete the kernel ignores the broadcast.
std::optional<Ipv4> broadcast_of(const AddrArgs& a) {
    if (!a.brd || !a.addr) return std::nullopt;
    return *parse_broadcast(a.brd->text, *a.addr);
}

void addr_modify(Cursor& c, const Ctx& ctx, const Word& verb, bool del) {
    const std::string command = del ? "ip address del" : "ip address add";
    const size_t errors = c.error_count();
    AddrArgs a;
    while (!c.done()) addr_word(c, c.take(), a, command);
    check_addr_scope(c, a);
    if (!a.addr_word && c.error_count() == errors)
        c.error(verb, fmt::format("'{}' needs an address (e.g. 10.0.0.1/24)", command));
    if (!a.dev && c.error_count() == errors) c.error(verb, fmt::format("'{}' needs 'dev NAME'", command));
    if (del && a.addr_word && !a.len_given)
        c.error(*a.addr_word,
                fmt::format("'ip address del' needs the prefix length (e.g. {}/24)", show(a.addr_word->text)));
    if (c.error_count() != errors) return;
    if (del)
        ctx.out->push_back(AddrDel{ctx.ns, a.dev->text, *a.addr});
    else
        ctx.out->push_back(AddrAdd{ctx.ns, a.dev->text, *a.addr, broadcast_of(a)});
}

}  // namespace

void parse_addr(Cursor& c, const Ctx& ctx, const Word& object) {
    (void)object;
    if (c.done()) return parse_show(c, ctx, ShowWhat::ip_addr, "ip address show");
    const Word& verb = c.take();
    const Choice<AddrVerb>* v = first_match(verb.text, kAddrVerbs);
    if (!v) return c.error(verb, fmt::format("unknown command 'ip address {}'", show(verb.text)));
    switch (v->value) {
        case AddrVerb::unsupported: return c.error(verb, fmt::format("'ip address {}' is not supported", v->name));
        case AddrVerb::add: return addr_modify(c, ctx, verb, false);
        case AddrVerb::del: return addr_modify(c, ctx, verb, true);
        case AddrVerb::show: return parse_show(c, ctx, ShowWhat::ip_addr, "ip address show");
    }
}

void parse_link_show(Cursor& c, const Ctx& ctx) { parse_show(c, ctx, ShowWhat::ip_link, "ip link show"); }

void parse_neigh(Cursor& c, const Ctx& ctx, const Word& object) {
    (void)object;
    static constexpr Choice<bool> verbs[] = {
        {"add", false}, {"change", false}, {"chg", false, true}, {"replace", false}, {"delete", false},
        {"get", false}, {"show", true},    {"lst", true},        {"list", true},    {"flush", false},
        {"help", false},
    };
    if (c.done()) return parse_show(c, ctx, ShowWhat::ip_neigh, "ip neigh show");
    const Word& verb = c.take();
    const Choice<bool>* v = first_match(verb.text, verbs);
    if (!v) return c.error(verb, fmt::format("unknown command 'ip neigh {}'", show(verb.text)));
    if (!v->value) return c.error(verb, fmt::format("'ip neigh {}' is not supported", v->name));
    parse_show(c, ctx, ShowWhat::ip_neigh, "ip neigh show");
}

}  // namespace vethlab::ipscript
