// Reading YAML nodes with locations: typed values, map keys with did-you-mean.
#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "model/yaml_decl.hpp"

namespace vethlab::yaml {
namespace {

// Optimal string alignment distance: a transposition ("rotues") counts as one edit.
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::string known_list(std::initializer_list<std::string_view> known) {
    std::string out;
    for (auto k : known) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

}  // namespace

std::string_view node_type_name(const Node& n) {
    switch (n.Type()) {
        case NodeType::Map: return "a map";
        case NodeType::Sequence: return "a list";
        case NodeType::Scalar: return "a string";
        default: return "nothing";
    }
}

std::optional<std::string> did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates) {
    std::optional<std::string> best;
    size_t best_d = 0;
    for (auto c : candidates) {
        const size_t d = edit_distance(word, c);
        const size_t limit = std::max<size_t>(1, std::min<size_t>(2, c.size() / 3));
        if (d <= limit && (!best || d < best_d)) {
            best = std::string(c);
            best_d = d;
        }
    }
    return best;
}

SourceLoc YamlSource::loc(const Mark& mark) const {
    if (mark.line < 0) return SourceLoc{{}, 0, 0};
    return SourceLoc{{}, mark.line + 1, mark.column + 1};
}

SourceLoc YamlSource::loc(const Node& node, size_t offset) const {
    SourceLoc at = loc(node.Mark());
    if (node.Mark().line < 0 || !node.IsScalar() || node.IsBlock()) return at;  // block: the text starts below
    if (node.IsQuoted()) ++at.col;
    at.col += int(offset);
    return at;
}

void YamlSource::error(const SourceLoc& loc, std::string message) { errors_.push_back({at(loc), std::move(message)}); }

std::vector<Entry> YamlSource::entries(const Node& map, std::string_view what,
                                       std::initializer_list<std::string_view> known) {
    std::vector<Entry> out = entries(map, what);
    std::erase_if(out, [&](const Entry& e) {
        if (std::find(known.begin(), known.end(), e.key) != known.end()) return false;
        if (auto near = did_you_mean(e.key, known))
            error(loc(e.key_node), fmt::format("unknown key '{}' in {}; did you mean '{}'?", e.key, what, *near));
        else
            error(loc(e.key_node), fmt::format("unknown key '{}' in {} (expected {})", e.key, what, known_list(known)));
        return true;
    });
    return out;
}

std::vector<Entry> YamlSource::entries(const Node& map, std::string_view what) {
    std::vector<Entry> out;
    if (map.IsNull()) return out;
    if (!map.IsMap()) {
        error(loc(map), fmt::format("{} must be a map, not {}", what, node_type_name(map)));
        return out;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
        const Node key = it->first;
        if (!key.IsScalar()) {
            error(loc(key), fmt::format("a key in {} must be a name, not {}", what, node_type_name(key)));
            continue;
        }
        auto first = std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.key == key.Scalar(); });
        if (first != out.end()) {
            error(loc(key), fmt::format("key '{}' is given twice in {}; first at {}", key.Scalar(), what,
                                        at(loc(first->key_node)).str()));
            continue;
        }
        out.push_back({key.Scalar(), key, it->second});
    }
    return out;
}

std::optional<std::string> YamlSource::scalar(const Node& n, std::string_view what) {
    if (n.IsScalar()) return n.Scalar();
    error(loc(n), fmt::format("{} must be a string, not {}", what, node_type_name(n)));
    return std::nullopt;
}

std::optional<bool> YamlSource::boolean(const Node& n, std::string_view what) {
    if (n.IsScalar())
        if (auto value = to_bool(n.Scalar())) return value;
    error(loc(n), fmt::format("{} must be true or false, not {}", what,
                              n.IsScalar() ? "'" + n.Scalar() + "'" : std::string(node_type_name(n))));
    return std::nullopt;
}

std::optional<uint32_t> YamlSource::number(const Node& n, std::string_view what) {
    if (n.IsScalar()) {
        const std::string& s = n.Scalar();
        uint32_t value = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (!s.empty() && ec == std::errc() && p == s.data() + s.size()) return value;
    }
    error(loc(n), fmt::format("{} must be a number (0..4294967295), not {}", what,
                              n.IsScalar() ? "'" + n.Scalar() + "'" : std::string(node_type_name(n))));
    return std::nullopt;
}

std::vector<Node> YamlSource::scalars(const Node& n, std::string_view what) {
    std::vector<Node> out;
    if (n.IsNull()) return out;
    if (n.IsScalar()) return {n};
    if (!n.IsSequence()) {
        error(loc(n), fmt::format("{} must be a list, not {}", what, node_type_name(n)));
        return out;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->IsScalar())
            out.push_back(*it);
        else
            error(loc(*it), fmt::format("each of {} must be a string, not {}", what, node_type_name(*it)));
    }
    return out;
}

}  // namespace vethlab::yaml
