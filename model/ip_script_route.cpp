// `ip route add|change|replace|append|del|show` (iproute.c iproute_modify and
// iproute_list_flush_or_save) and parse_route_spec for the YAML reader.
#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "model/ip_script_detail.hpp"
#include "model/names.hpp"

namespace vethlab::ipscript {
namespace {

enum class RKey { src, via, tos, metric, scope, table, dev, onlink, proto, unsupported };

// iproute_modify() in its order: "m" and "p" are metric/priority, "pro" protocol,
// "t" table, "d" dsfield (tos), "s" ssthresh; any other word is the destination.
constexpr Choice<RKey> kRouteKeys[] = {
    {"src", RKey::src, true},          {"as", RKey::unsupported, true},       {"via", RKey::via, true},
    {"from", RKey::unsupported, true}, {"tos", RKey::tos, true},              {"dsfield", RKey::tos},
    {"expires", RKey::unsupported, true}, {"metric", RKey::metric},           {"priority", RKey::metric},
    {"preference", RKey::metric, true}, {"scope", RKey::scope, true},         {"mtu", RKey::unsupported, true},
    {"hoplimit", RKey::unsupported, true}, {"advmss", RKey::unsupported, true}, {"reordering", RKey::unsupported},
    {"rtt", RKey::unsupported, true},  {"rto_min", RKey::unsupported, true},  {"window", RKey::unsupported},
    {"cwnd", RKey::unsupported},       {"initcwnd", RKey::unsupported},       {"initrwnd", RKey::unsupported},
    {"features", RKey::unsupported},   {"quickack", RKey::unsupported},       {"congctl", RKey::unsupported},
    {"rttvar", RKey::unsupported},     {"ssthresh", RKey::unsupported},       {"realms", RKey::unsupported},
    {"onlink", RKey::onlink, true},    {"nexthop", RKey::unsupported, true},  {"nhid", RKey::unsupported, true},
    {"protocol", RKey::proto},         {"table", RKey::table},                {"vrf", RKey::unsupported},
    {"dev", RKey::dev, true},          {"oif", RKey::dev, true},              {"pref", RKey::unsupported},
    {"encap", RKey::unsupported, true}, {"ttl-propagate", RKey::unsupported, true},
};

// rt_names.c rtnl_rtntype_a2n(): "u" is unreachable, "uni" unicast, "b" broadcast.
constexpr Choice<std::optional<RouteType>> kRouteTypes[] = {
    {"local", RouteType::local, true},   {"nat", std::nullopt, true},         {"broadcast", RouteType::broadcast},
    {"brd", RouteType::broadcast, true}, {"anycast", std::nullopt},           {"multicast", std::nullopt},
    {"prohibit", RouteType::prohibit},   {"unreachable", RouteType::unreachable}, {"blackhole", RouteType::blackhole},
    {"xresolve", std::nullopt},          {"unicast", RouteType::unicast},     {"throw", std::nullopt, true},
};

template <class T, class Parse>
void set_value(Cursor& c, const Word& key, std::optional<T>& slot, Parse parse) {
    const Word* v = c.value(key);
    if (!v) return;
    if (auto parsed = parse(v->text))
        slot = *parsed;
    else
        c.error(*v, fmt::format("invalid \"{}\" value '{}'", show(key.text), show(v->text)));
}

void set_addr(Cursor& c, const Word& key, std::optional<Ipv4>& slot) {
    const Word* v = c.value(key);
    if (v && key.text == "via" && v->text == "inet") v = c.value(*v);
    if (!v) return;
    auto a = Ipv4::parse(v->text);
    if (!a) return c.error(*v, a.error());
    slot = *a;
}

void set_tos(Cursor& c, const Word& key, RouteSpec& spec) {
    std::optional<uint32_t> tos;
    set_value(c, key, tos, [](std::string_view t) {
        auto n = parse_uint(t, 16);  // rtnl_dsfield_a2n reads hex
        return n && *n <= 255 ? n : std::nullopt;
    });
    if (tos) spec.tos = uint8_t(*tos);
}

// The destination, with an optional leading `to` and route type.
void route_dst(Cursor& c, const Word& w, RouteSpec& spec, bool& have_dst) {
    const Word* d = w.text == "to" ? c.value(w) : &w;
    if (!d) return;
    const auto* type = d->text.empty() || (d->text[0] >= '0' && d->text[0] <= '9') ? nullptr
                                                                                    : first_match(d->text, kRouteTypes);
    if (type) {
        if (!type->value) return c.error(*d, fmt::format("route type '{}' is not supported", type->name));
        spec.type = *type->value;
        spec.type_given = true;
        if (!(d = c.value(*d))) return;
    }
    if (matches(d->text, "help")) return c.error(*d, "'help' is not supported in 'ip route'");
    if (have_dst) return c.unexpected(*d);
    auto dst = Prefix::parse(d->text);
    if (!dst) return c.error(*d, dst.error());
    spec.dst = *dst;
    have_dst = true;
}

// One word of iproute_modify(); false when the rest of the command cannot be read.
bool route_word(Cursor& c, const Word& w, RouteSpec& spec, bool& have_dst) {
    const Choice<RKey>* k = first_match(w.text, kRouteKeys);
    if (!k) return route_dst(c, w, spec, have_dst), true;
    switch (k->value) {
        case RKey::src: set_addr(c, w, spec.src); break;
        case RKey::via:
            if (spec.via)
                return c.error(w, "'via' given twice (several gateways need 'nexthop', not supported)"), false;
            set_addr(c, w, spec.via);
            break;
        case RKey::tos: set_tos(c, w, spec); break;
        case RKey::metric: if (auto n = c.number(w)) spec.metric = *n; break;
        case RKey::scope: set_value(c, w, spec.scope, route_scope_from); break;
        case RKey::table: set_value(c, w, spec.table, route_table_from); break;
        case RKey::proto: set_value(c, w, spec.proto, route_proto_from); break;
        case RKey::dev: {
            const Word* d = c.value(w);
            if (d && check_ifname(d->text)) c.error(*d, *check_ifname(d->text));
            if (d) spec.dev = d->text;
            break;
        }
        case RKey::onlink: spec.onlink = true; break;
        case RKey::unsupported:
            return c.error(w, fmt::format("'{}' is not supported in 'ip route'", show(w.text))), false;
    }
    return true;
}

void route_show(Cursor& c, const Ctx& ctx) {
    Show s{ctx.ns, ShowWhat::ip_route, ctx.brief, std::nullopt, std::nullopt};
    while (!c.done()) {
        const Word& w = c.take();
        if (matches(w.text, "table")) {
            set_value(c, w, s.table, route_table_from);
        } else if (w.text == "dev" || w.text == "oif") {
            const Word* d = c.value(w);
            if (d && check_ifname(d->text)) return c.error(*d, *check_ifname(d->text));
            if (d) s.dev = d->text;
        } else {
            return c.error(w, fmt::format("'{}' is not supported in 'ip route show' (only 'table T' and 'dev NAME')",
                                          show(w.text)));
        }
    }
    ctx.out->push_back(s);
}

enum class RVerb { unsupported, add, change, replace, append, del, show };

// do_iproute(): "a" is add, "c" change, "r" replace, "p" prepend, "d" delete, "s" show.
constexpr Choice<RVerb> kRouteVerbs[] = {
    {"add", RVerb::add},           {"change", RVerb::change},      {"chg", RVerb::change, true},
    {"replace", RVerb::replace},   {"prepend", RVerb::unsupported}, {"append", RVerb::append},
    {"test", RVerb::unsupported},  {"delete", RVerb::del},         {"list", RVerb::show},
    {"show", RVerb::show},         {"lst", RVerb::show},           {"get", RVerb::unsupported},
    {"flush", RVerb::unsupported}, {"save", RVerb::unsupported},   {"restore", RVerb::unsupported},
    {"showdump", RVerb::unsupported}, {"help", RVerb::unsupported},
};

RouteOp route_op(RVerb v) {
    switch (v) {
        case RVerb::change: return RouteOp::change;
        case RVerb::replace: return RouteOp::replace;
        case RVerb::append: return RouteOp::append;
        case RVerb::del: return RouteOp::del;
        default: return RouteOp::add;
    }
}

}  // namespace

bool parse_route_words(Cursor& c, RouteSpec& spec, const Word& verb) {
    const size_t errors = c.error_count();
    bool have_dst = false;
    while (!c.done() && route_word(c, c.take(), spec, have_dst)) {
    }
    if (!have_dst && c.error_count() == errors)
        c.error(verb, "the route needs a destination (a prefix or 'default')");
    return c.error_count() == errors;
}

void parse_route(Cursor& c, const Ctx& ctx, const Word& object) {
    (void)object;
    if (c.done()) return route_show(c, ctx);
    const Word& verb = c.take();
    const Choice<RVerb>* v = first_match(verb.text, kRouteVerbs);
    if (!v) return c.error(verb, fmt::format("unknown command 'ip route {}'", show(verb.text)));
    if (v->value == RVerb::unsupported) return c.error(verb, fmt::format("'ip route {}' is not supported", v->name));
    if (v->value == RVerb::show) return route_show(c, ctx);
    RouteEdit edit{ctx.ns, route_op(v->value), RouteSpec{}};
    if (parse_route_words(c, edit.route, verb)) ctx.out->push_back(edit);
}

}  // namespace vethlab::ipscript

namespace vethlab {

Result<RouteSpec> parse_route_spec(const std::vector<std::string>& words) {
    std::vector<ipscript::Word> ws;
    for (const auto& w : words) ws.push_back(ipscript::Word{w, 0});
    Diagnostics errors;
    ipscript::Cursor c(ws, errors);
    RouteSpec spec;
    ipscript::parse_route_words(c, spec, ipscript::Word{"route", 0});
    if (!errors.empty()) return Error{errors.front().message};
    return spec;
}

}  // namespace vethlab
