// `ip link add|set|delete|show` (iplink.c iplink_parse, link_veth.c) and
// `ip tuntap add|del` (iptuntap.c parse_args).
#include <fmt/format.h>

#include "model/ip_script_detail.hpp"
#include "model/names.hpp"

namespace vethlab::ipscript {
namespace {

enum class Key { up, down, name, address, mtu, netns, type, dev, master, nomaster, help, with_value, flag, rest };

// iplink_parse() in its order: "t" is txqueuelen, "ty" type, "l" link, "a" address,
// "d" dynamic, "n" nomaster; any other word is the device.
constexpr Choice<Key> kLinkKeys[] = {
    {"up", Key::up, true},           {"down", Key::down, true},          {"name", Key::name, true},
    {"index", Key::with_value, true}, {"link", Key::with_value},         {"address", Key::address},
    {"broadcast", Key::with_value},  {"brd", Key::with_value, true},     {"txqueuelen", Key::with_value},
    {"qlen", Key::with_value, true}, {"txqlen", Key::with_value},        {"mtu", Key::mtu, true},
    {"xdpgeneric", Key::rest, true}, {"xdpdrv", Key::rest, true},        {"xdpoffload", Key::rest, true},
    {"xdp", Key::rest, true},        {"netns", Key::netns, true},        {"multicast", Key::with_value, true},
    {"allmulticast", Key::with_value, true}, {"promisc", Key::with_value, true}, {"trailers", Key::with_value, true},
    {"arp", Key::with_value, true},  {"carrier", Key::with_value, true}, {"vf", Key::rest, true},
    {"master", Key::master},         {"vrf", Key::with_value, true},     {"nomaster", Key::nomaster},
    {"dynamic", Key::with_value},    {"type", Key::type},                {"alias", Key::with_value},
    {"group", Key::with_value, true}, {"mode", Key::with_value, true},   {"state", Key::with_value, true},
    {"numtxqueues", Key::with_value}, {"numrxqueues", Key::with_value},  {"addrgenmode", Key::with_value},
    {"link-netns", Key::with_value}, {"link-netnsid", Key::with_value},  {"protodown", Key::with_value, true},
    {"protodown_reason", Key::rest, true}, {"gso_max_size", Key::with_value, true},
    {"gso_max_segs", Key::with_value, true}, {"gro_max_size", Key::with_value, true},
    {"help", Key::help},             {"dev", Key::dev, true},
};

struct LinkArgs {
    const Word* name = nullptr;  // `name X`
    const Word* dev = nullptr;   // `dev X` or a bare word
    const Word* netns = nullptr;
    const Word* up_word = nullptr;
    std::optional<uint32_t> mtu;
    std::optional<Mac> mac;
    std::optional<bool> up;
    const Word* type = nullptr;  // the KIND of `type KIND`: later words belong to it
    const Word* master = nullptr;  // `master BR` or `nomaster`
    std::string master_name;       // "" for nomaster
};

// `master BR` (value: BR, or null when missing) or `nomaster` (release).
void set_master(Cursor& c, const Word& key, const Word* value, bool release, LinkArgs& a) {
    if (!release && !value) return;
    if (a.master) return c.error(key, "'master' or 'nomaster' given twice");
    if (value)
        if (auto why = check_ifname(value->text)) return c.error(*value, *why);
    a.master = &key;
    a.master_name = value ? value->text : "";
}

void set_name(Cursor& c, const Word* w, const Word*& slot, std::string_view key) {
    if (!w) return;
    if (slot) return key == "dev" ? c.unexpected(*w) : c.error(*w, fmt::format("'{}' given twice", key));
    if (auto why = check_ifname(w->text)) return c.error(*w, *why);
    slot = w;
}

void set_netns(Cursor& c, const Word* w, LinkArgs& a) {
    if (!w) return;
    if (a.netns) return c.error(*w, "'netns' given twice");
    if (auto why = check_netns_name(w->text)) return c.error(*w, *why);
    a.netns = w;
}

void set_mac(Cursor& c, const Word* w, LinkArgs& a) {
    if (!w) return;
    auto mac = Mac::parse(w->text);
    if (!mac) return c.error(*w, mac.error());
    a.mac = *mac;
}

// One iplink_parse() word; false when the rest of the command cannot be read.
bool link_word(Cursor& c, const Word& w, LinkArgs& a, std::string_view command) {
    const Choice<Key>* k = first_match(w.text, kLinkKeys);
    switch (k ? k->value : Key::dev) {
        case Key::up: case Key::down: a.up = k->value == Key::up; a.up_word = &w; return true;
        case Key::name: set_name(c, c.value(w), a.name, "name"); return true;
        case Key::address: set_mac(c, c.value(w), a); return true;
        case Key::mtu: if (auto n = c.number(w)) a.mtu = *n; return true;
        case Key::netns: set_netns(c, c.value(w), a); return true;
        case Key::type: a.type = c.value(w); return false;
        case Key::dev: set_name(c, k ? c.value(w) : &w, a.dev, "dev"); return true;
        case Key::master: set_master(c, w, c.value(w), false, a); return true;
        case Key::nomaster: set_master(c, w, nullptr, true, a); return true;
        case Key::with_value: case Key::flag:
            c.error(w, fmt::format("'{}' is not supported in '{}'", show(w.text), command));
            if (k->value == Key::with_value && !c.done()) c.take();
            return true;
        case Key::help: case Key::rest:
            c.error(w, fmt::format("'{}' is not supported in '{}'", show(w.text), command));
            return false;
    }
    return true;
}

void link_words(Cursor& c, LinkArgs& a, std::string_view command) {
    while (!c.done() && link_word(c, c.take(), a, command)) {
    }
}

// The created device: `name X` or the device word (both only if they agree).
const Word* created_name(Cursor& c, const LinkArgs& a) {
    if (a.name && a.dev && a.name->text != a.dev->text)
        return c.error(*a.dev, "both 'name' and 'dev' given for the device to create"), nullptr;
    return a.name ? a.name : a.dev;
}

void veth_peer(Cursor& c, const Word& kind, LinkAdd& add) {
    if (c.done()) return c.error(kind, "'type veth' needs 'peer name NAME'");
    const Word& peer = c.take();
    if (peer.text != "peer")
        return c.error(peer, fmt::format("expected 'peer' after 'type veth', got '{}'", show(peer.text)));
    LinkArgs p;
    const size_t errors = c.error_count();
    link_words(c, p, "ip link add ... peer");
    if (p.type) return c.error(*p.type, "'type' is not supported after 'peer'");
    if (p.up_word) return c.error(*p.up_word, "the peer cannot be set up here; use 'ip link set NAME up'");
    const Word* name = created_name(c, p);
    if (!name && c.error_count() == errors) return c.error(peer, "'peer' needs a name ('peer name NAME')");
    if (!name) return;
    add.peer = name->text;
    if (p.netns) add.peer_netns = p.netns->text;
    add.peer_mtu = p.mtu;
    add.peer_mac = p.mac;
}

void link_add(Cursor& c, const Ctx& ctx, const Word& verb) {
    const size_t errors = c.error_count();
    LinkArgs a;
    link_words(c, a, "ip link add");
    const Word* name = created_name(c, a);
    if (!name && c.error_count() == errors) return c.error(verb, "'ip link add' needs a device name");
    if (!a.type && c.error_count() == errors) return c.error(verb, "'ip link add' needs a type (veth, bridge or dummy)");
    if (!name || !a.type) return;
    LinkAdd add{ctx.ns, name->text, LinkKind::veth, std::nullopt, a.mtu, a.mac, a.up, "", std::nullopt, {}, {}};
    if (a.netns) add.netns = a.netns->text;
    if (a.master) c.error(*a.master, fmt::format("'{}' is not supported in 'ip link add'; use 'ip link set NAME {}'",
                                                  show(a.master->text), a.master_name.empty() ? "nomaster" : "master BR"));
    if (a.type->text == "veth") {
        veth_peer(c, *a.type, add);
    } else if (a.type->text == "dummy" || a.type->text == "bridge") {
        add.kind = a.type->text == "dummy" ? LinkKind::dummy : LinkKind::bridge;
        if (!c.done()) c.unexpected(c.take());
    } else {
        c.error(*a.type, fmt::format("link type '{}' is not supported (veth, bridge or dummy)", show(a.type->text)));
    }
    if (c.error_count() == errors) ctx.out->push_back(add);
}

void link_set(Cursor& c, const Ctx& ctx, const Word& verb) {
    const size_t errors = c.error_count();
    LinkArgs a;
    link_words(c, a, "ip link set");
    if (a.type) return c.error(*a.type, "'type' is not supported in 'ip link set'");
    const Word* dev = a.dev ? a.dev : a.name;
    if (!dev && c.error_count() == errors) return c.error(verb, "'ip link set' needs a device name");
    if (c.error_count() != errors) return;
    LinkSet set{ctx.ns, dev->text, std::nullopt, std::nullopt, a.mac, a.mtu, a.up};
    if (a.netns) set.netns = a.netns->text;
    if (a.name && a.dev) set.new_name = a.name->text;  // `name X` alone names the device, renames nothing
    if (a.master) set.master = a.master_name;
    ctx.out->push_back(set);
}

void link_del(Cursor& c, const Ctx& ctx, const Word& verb) {
    const Word* dev = nullptr;
    const size_t errors = c.error_count();
    while (!c.done()) {
        const Word& w = c.take();
        set_name(c, w.text == "dev" ? c.value(w) : &w, dev, "dev");
    }
    if (!dev && c.error_count() == errors) return c.error(verb, "'ip link delete' needs a device name");
    if (c.error_count() == errors) ctx.out->push_back(LinkDel{ctx.ns, dev->text});
}

enum class LinkVerb { unsupported, add, set, del, show };

// do_iplink(): add, set/change, replace, delete, show/lst/list, ... ("s" is set).
constexpr Choice<LinkVerb> kLinkVerbs[] = {
    {"add", LinkVerb::add},         {"set", LinkVerb::set},          {"change", LinkVerb::set},
    {"replace", LinkVerb::unsupported}, {"delete", LinkVerb::del},   {"show", LinkVerb::show},
    {"lst", LinkVerb::show},        {"list", LinkVerb::show},        {"xstats", LinkVerb::unsupported},
    {"afstats", LinkVerb::unsupported}, {"property", LinkVerb::unsupported},
    {"netshaper", LinkVerb::unsupported, true}, {"help", LinkVerb::unsupported},
};

}  // namespace

bool is_link_keyword(std::string_view word) { return first_match(word, kLinkKeys) != nullptr; }

void parse_link(Cursor& c, const Ctx& ctx, const Word& object) {
    (void)object;
    if (c.done()) return parse_link_show(c, ctx);
    const Word& verb = c.take();
    const Choice<LinkVerb>* v = first_match(verb.text, kLinkVerbs);
    if (!v) return c.error(verb, fmt::format("unknown command 'ip link {}'", show(verb.text)));
    switch (v->value) {
        case LinkVerb::unsupported: return c.error(verb, fmt::format("'ip link {}' is not supported", v->name));
        case LinkVerb::add: return link_add(c, ctx, verb);
        case LinkVerb::set: return link_set(c, ctx, verb);
        case LinkVerb::del: return link_del(c, ctx, verb);
        case LinkVerb::show: return parse_link_show(c, ctx);
    }
}

// ---- ip tuntap --------------------------------------------------------------------

namespace {

struct TapArgs {
    const Word* name = nullptr;
    const Word* mode = nullptr;
};

void tap_mode(Cursor& c, const Word* v, TapArgs& t) {
    if (!v) return;
    if (matches(v->text, "tun")) return c.error(*v, "'mode tun' is not supported (only tap)");
    if (!matches(v->text, "tap")) return c.error(*v, fmt::format("cannot guess tunnel mode '{}'", show(v->text)));
    t.mode = v;
}

// iptuntap.c parse_args(): mode, user, group, pi, one_queue, vnet_hdr, multi_queue, dev.
void tap_word(Cursor& c, const Word& w, TapArgs& t, std::string_view command) {
    static constexpr std::string_view with_value[] = {"user", "group"};
    static constexpr std::string_view flags[] = {"pi", "one_queue", "vnet_hdr", "multi_queue", "persist"};
    const bool unsupported_value = matches(w.text, with_value[0]) || matches(w.text, with_value[1]);
    bool unsupported_flag = false;
    for (auto f : flags) unsupported_flag = unsupported_flag || matches(w.text, f);
    if (matches(w.text, "mode")) return tap_mode(c, c.value(w), t);
    if (unsupported_value || unsupported_flag) {
        c.error(w, fmt::format("'{}' is not supported in '{}'", show(w.text), command));
        if (unsupported_value && !c.done()) c.take();
        return;
    }
    if (matches(w.text, "help")) return c.error(w, fmt::format("'help' is not supported in '{}'", command));
    const bool key = matches(w.text, "dev") || matches(w.text, "name");
    set_name(c, key ? c.value(w) : &w, t.name, "dev");
}

}  // namespace

void parse_tuntap(Cursor& c, const Ctx& ctx, const Word& object) {
    if (c.done()) return c.error(object, "'ip tuntap' (show) is not supported");
    const Word& verb = c.take();
    const bool add = matches(verb.text, "add");
    const bool del = matches(verb.text, "del") || verb.text == "delete";
    if (!add && !del) {
        const bool known = matches(verb.text, "show") || matches(verb.text, "lst") || matches(verb.text, "list") ||
                           matches(verb.text, "help");
        return c.error(verb, known ? fmt::format("'ip tuntap {}' is not supported", show(verb.text))
                                   : fmt::format("unknown command 'ip tuntap {}'", show(verb.text)));
    }
    const std::string command = add ? "ip tuntap add" : "ip tuntap del";
    const size_t errors = c.error_count();
    TapArgs t;
    while (!c.done()) tap_word(c, c.take(), t, command);
    if (c.error_count() != errors) return;
    if (!t.name) return c.error(verb, fmt::format("'{}' needs a device name ('dev NAME')", command));
    if (add && !t.mode) return c.error(verb, "'ip tuntap add' needs 'mode tap'");
    if (add)
        ctx.out->push_back(LinkAdd{ctx.ns, t.name->text, LinkKind::tap, {}, {}, {}, {}, "", {}, {}, {}});
    else
        ctx.out->push_back(LinkDel{ctx.ns, t.name->text});
}

}  // namespace vethlab::ipscript
