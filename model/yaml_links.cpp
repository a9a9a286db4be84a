// Links in a topology file: taps and dummies under `links:`, lo, and veth pairs (the
// one-line form `ns0:veth0 10.0.0.1/24 -- ns1:veth1 10.0.0.2/24` or a small map).
#include <algorithm>

#include <fmt/format.h>

#include "model/yaml_decl.hpp"

namespace vethlab::yaml {
namespace {

struct Token {
    std::string_view text;
    size_t offset;  // in the scalar
};

std::vector<Token> split_words(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.push_back({s.substr(start, i - start), start});
    }
    return out;
}

// The link's own settings, shared by links and veth ends. False: not one of them.
bool read_setting(YamlSource& src, const Entry& f, std::string_view what, LinkDecl& link) {
    const std::string field = fmt::format("'{}' of {}", f.key, what);
    if (f.key == "addresses") {
        read_addresses(src, f.value, field, link);
    } else if (f.key == "mtu") {
        if (auto mtu = src.number(f.value, field)) link.mtu = *mtu;
    } else if (f.key == "mac") {
        if (auto text = src.scalar(f.value, field)) {
            auto mac = Mac::parse(*text);
            if (mac)
                link.mac = *mac;
            else
                src.error(src.loc(f.value), mac.error());
        }
    } else if (f.key == "up") {
        if (auto up = src.boolean(f.value, field)) link.up = *up;
        link.up_loc = src.loc(f.value);
    } else if (f.key == "master") {
        if (auto m = src.scalar(f.value, field)) link.master = *m;
        link.master_loc = src.loc(f.value);
    } else {
        return false;
    }
    return true;
}

bool read_kind(YamlSource& src, const Node& n, std::string_view what, LinkDecl& link) {
    auto kind = src.scalar(n, fmt::format("'kind' of {}", what));
    if (!kind) return false;
    if (*kind == "tap" || *kind == "dummy" || *kind == "bridge") {
        link.kind = *kind == "tap" ? LinkKind::tap : *kind == "dummy" ? LinkKind::dummy : LinkKind::bridge;
        return true;
    }
    if (*kind == "veth")
        src.error(src.loc(n), "veths are declared under 'veths', both ends at once");
    else if (auto near = did_you_mean(*kind, {"tap", "dummy", "bridge"}))
        src.error(src.loc(n), fmt::format("unknown link kind '{}'; did you mean '{}'?", *kind, *near));
    else
        src.error(src.loc(n), fmt::format("unknown link kind '{}' (kinds: tap, dummy, bridge)", *kind));
    return false;
}

// "NS:IF" -> the end's namespace and name (split at the last ':'; names have no ':').
bool read_end_name(YamlSource& src, std::string_view text, const SourceLoc& at, LinkDecl& end) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        src.error(at, fmt::format("veth end '{}' must be NAMESPACE:INTERFACE, e.g. ns0:veth0", text));
        return false;
    }
    end.ns = std::string(text.substr(0, colon));
    end.name = std::string(text.substr(colon + 1));
    end.kind = LinkKind::veth;
    end.loc = at;
    end.up_loc = at;
    return true;
}

void read_end_addresses(YamlSource& src, const Node& n, const std::vector<Token>& words, LinkDecl& end) {
    for (const auto& w : words) {
        auto addr = IfAddr::parse(w.text);
        if (addr)
            end.addrs.push_back({*addr, std::nullopt, src.loc(n, w.offset)});
        else
            src.error(src.loc(n, w.offset), addr.error());
    }
}

// "ns0:veth0 10.0.0.1/24 10.0.0.9/24": an end and its addresses, in a scalar.
bool read_end_words(YamlSource& src, const Node& n, std::vector<Token> words, LinkDecl& end) {
    if (words.empty()) return false;
    if (!read_end_name(src, words[0].text, src.loc(n, words[0].offset), end)) return false;
    read_end_addresses(src, n, std::vector<Token>(words.begin() + 1, words.end()), end);
    return true;
}

std::optional<VethDecl> read_veth_line(YamlSource& src, const Node& n) {
    const std::string& line = n.Scalar();
    const auto words = split_words(line);
    std::vector<size_t> dashes;
    for (size_t i = 0; i < words.size(); ++i)
        if (words[i].text == "--") dashes.push_back(i);
    if (dashes.size() != 1 || dashes[0] == 0 || dashes[0] + 1 == words.size()) {
        src.error(src.loc(n), fmt::format("veth '{}' must read NS:IF [ADDRESS...] -- NS:IF [ADDRESS...]", line));
        return std::nullopt;
    }
    VethDecl veth;
    veth.loc = src.loc(n);
    const auto mid = words.begin() + long(dashes[0]);
    const bool a = read_end_words(src, n, std::vector<Token>(words.begin(), mid), veth.a);
    const bool b = read_end_words(src, n, std::vector<Token>(mid + 1, words.end()), veth.b);
    if (!a || !b) return std::nullopt;
    return veth;
}

// An end in the map form: "ns0:veth0 10.0.0.1/24" or {end: ns0:veth0, addresses: [...], ...}.
bool read_end(YamlSource& src, const Entry& e, LinkDecl& end) {
    const std::string what = fmt::format("veth end '{}'", e.key);
    if (e.value.IsScalar()) return read_end_words(src, e.value, split_words(e.value.Scalar()), end);
    if (!e.value.IsMap()) {
        src.error(src.loc(e.value), fmt::format("{} must be NS:IF [ADDRESS...] or a map, not {}", what,
                                                node_type_name(e.value)));
        return false;
    }
    const auto fields = src.entries(e.value, what, {"end", "addresses", "mtu", "mac", "up", "master"});
    auto name = std::find_if(fields.begin(), fields.end(), [](const Entry& f) { return f.key == "end"; });
    if (name == fields.end()) {
        src.error(src.loc(e.key_node), fmt::format("{} needs 'end: NAMESPACE:INTERFACE'", what));
        return false;
    }
    auto text = src.scalar(name->value, fmt::format("'end' of {}", what));
    if (!text || !read_end_name(src, *text, src.loc(name->value), end)) return false;
    for (const auto& f : fields)
        if (f.key != "end") read_setting(src, f, fmt::format("veth end '{}'", *text), end);
    return true;
}

std::optional<VethDecl> read_veth_map(YamlSource& src, const Node& n) {
    const auto fields = src.entries(n, "veth", {"a", "b", "mtu", "up"});
    LinkDecl both;  // pair-level mtu and up: the default of each end
    for (const auto& f : fields)
        if (f.key == "mtu" || f.key == "up") read_setting(src, f, "veth", both);
    VethDecl veth;
    veth.loc = src.loc(n);
    int ends = 0;
    for (const auto& f : fields) {
        if (f.key != "a" && f.key != "b") continue;
        LinkDecl& end = f.key == "a" ? veth.a : veth.b;
        end.mtu = both.mtu;
        end.up = both.up;
        ends += read_end(src, f, end) ? 1 : 0;
        if (end.up_loc == end.loc && both.up_loc != both.loc) end.up_loc = both.up_loc;
    }
    const bool has_a = std::any_of(fields.begin(), fields.end(), [](const Entry& f) { return f.key == "a"; });
    const bool has_b = std::any_of(fields.begin(), fields.end(), [](const Entry& f) { return f.key == "b"; });
    if (!has_a || !has_b) src.error(veth.loc, "a veth needs both ends: 'a' and 'b'");
    if (ends != 2) return std::nullopt;
    return veth;
}

}  // namespace

void read_addresses(YamlSource& src, const Node& n, std::string_view what, LinkDecl& link) {
    for (const auto& item : src.scalars(n, what)) {
        // "10.0.0.1/24", or "10.0.0.1/24 brd +|-|ADDRESS" as in `ip address add`.
        const std::string& text = item.Scalar();
        const auto space = text.find(' ');
        auto addr = IfAddr::parse(text.substr(0, space));
        if (!addr) {
            src.error(src.loc(item), addr.error());
            continue;
        }
        AddrDecl decl{*addr, std::nullopt, src.loc(item)};
        if (space != std::string::npos) {
            const auto rest = text.find_first_not_of(' ', space);
            const auto gap = text.find(' ', rest);
            const auto value = gap == std::string::npos ? std::string::npos : text.find_first_not_of(' ', gap);
            const std::string word = text.substr(rest, gap - rest);
            if (word != "brd" && word != "broadcast") {
                src.error(src.loc(item), fmt::format("unexpected '{}' after the address (only 'brd X' may follow)", word));
                continue;
            }
            if (value == std::string::npos) {
                src.error(src.loc(item), "'brd' needs a value: an address, '+' or '-'");
                continue;
            }
            auto brd = parse_broadcast(text.substr(value), *addr);
            if (!brd) {
                src.error(src.loc(item), brd.error());
                continue;
            }
            decl.broadcast = *brd;
        }
        link.addrs.push_back(decl);
    }
}

std::optional<LinkDecl> read_link(YamlSource& src, const Entry& e, const std::string& ns) {
    LinkDecl link;
    link.ns = ns;
    link.name = e.key;
    link.loc = src.loc(e.key_node);
    link.up_loc = link.loc;
    const std::string what = fmt::format("link '{}'", e.key);
    if (e.value.IsScalar()) {  // `dummy0: dummy`
        if (!read_kind(src, e.value, what, link)) return std::nullopt;
        return link;
    }
    bool kind_given = false;
    bool kind_ok = false;
    for (const auto& f : src.entries(e.value, what, {"kind", "addresses", "mtu", "mac", "up", "master"})) {
        if (f.key == "kind") {
            kind_given = true;
            kind_ok = read_kind(src, f.value, what, link);
        } else {
            read_setting(src, f, what, link);
        }
    }
    if (!kind_given)
        src.error(link.loc, fmt::format("{} needs a kind: tap, dummy or bridge (veths go under 'veths')", what));
    if (!kind_ok) return std::nullopt;
    return link;
}

void read_lo(YamlSource& src, const Node& n, LinkDecl& lo) {
    lo.up_loc = src.loc(n);
    if (n.IsScalar() && (n.Scalar() == "up" || n.Scalar() == "down")) {
        lo.up = n.Scalar() == "up";
        return;
    }
    if (!n.IsMap()) {
        src.error(src.loc(n), fmt::format("'lo' of namespace '{}' must be up, down or a map with up and addresses",
                                          lo.ns));
        return;
    }
    for (const auto& f : src.entries(n, fmt::format("lo of namespace '{}'", lo.ns), {"up", "addresses"}))
        read_setting(src, f, fmt::format("lo of namespace '{}'", lo.ns), lo);
}

std::optional<VethDecl> read_veth(YamlSource& src, const Node& n) {
    if (n.IsScalar()) return read_veth_line(src, n);
    if (n.IsMap()) return read_veth_map(src, n);
    src.error(src.loc(n), fmt::format("a veth is NS:IF [ADDRESS...] -- NS:IF [ADDRESS...] or a map with a and b, "
                                      "not {}",
                                      node_type_name(n)));
    return std::nullopt;
}

}  // namespace vethlab::yaml
