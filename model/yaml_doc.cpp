// A YAML document through libyaml's event parser: nodes in one vector, the children of
// every collection contiguous in another, aliases resolved to the anchored node.
#include "model/yaml_doc.hpp"

#include <yaml.h>

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

namespace vethlab::yaml {
namespace {

Mark mark_of(const yaml_mark_t& m) { return Mark{long(m.index), int(m.line), int(m.column)}; }

// libyaml's reader reports a byte offset only (bad UTF-8): the line and column of it.
Mark mark_at_offset(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    Mark m{long(offset), 0, 0};
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++m.line;
            m.column = 0;
        } else {
            ++m.column;
        }
    }
    return m;
}

// The event parser's error, in its words: "did not find expected key (while parsing a
// block mapping that starts at 2:3)".
SyntaxError syntax_error(const yaml_parser_t& p, std::string_view text) {
    if (p.error == YAML_MEMORY_ERROR) return {Mark{}, "out of memory reading YAML"};
    if (p.error == YAML_READER_ERROR) {
        std::string what = p.problem ? p.problem : "unreadable input";
        if (p.problem_value != -1) what += fmt::format(" (byte 0x{:02x})", unsigned(p.problem_value) & 0xffu);
        return {mark_at_offset(text, p.problem_offset), what};
    }
    std::string what = p.problem ? p.problem : "not YAML";
    if (p.context)
        what += fmt::format(" ({} that starts at {}:{})", p.context, p.context_mark.line + 1, p.context_mark.column + 1);
    return {mark_of(p.problem_mark), what};
}

constexpr size_t kMaxDepth = 256;

bool is_null_word(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

class Event {
public:
    Event() = default;
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    ~Event() { clear(); }
    bool next(yaml_parser_t& p) {
        clear();
        live_ = yaml_parser_parse(&p, &e_) != 0;
        return live_;
    }
    const yaml_event_t& operator*() const { return e_; }
    const yaml_event_t* operator->() const { return &e_; }

private:
    void clear() {
        if (live_) yaml_event_delete(&e_);
        live_ = false;
    }
    yaml_event_t e_{};
    bool live_ = false;
};

class Parser {
public:
    explicit Parser(std::string_view text) {
        yaml_parser_initialize(&p_);
        yaml_parser_set_input_string(&p_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    }
    Parser(const Parser&) = delete;
    Parser& operator=(const Parser&) = delete;
    ~Parser() { yaml_parser_delete(&p_); }
    yaml_parser_t& get() { return p_; }

private:
    yaml_parser_t p_{};
};

const char* anchor_of(const yaml_event_t& e) {
    switch (e.type) {
        case YAML_SCALAR_EVENT: return reinterpret_cast<const char*>(e.data.scalar.anchor);
        case YAML_SEQUENCE_START_EVENT: return reinterpret_cast<const char*>(e.data.sequence_start.anchor);
        case YAML_MAPPING_START_EVENT: return reinterpret_cast<const char*>(e.data.mapping_start.anchor);
        default: return nullptr;
    }
}

}  // namespace

Document::Document(std::string_view text) {
    Parser parser(text);
    yaml_parser_t& p = parser.get();
    Event ev;
    struct Open {
        uint32_t node;
        std::vector<uint32_t> kids;
    };
    std::vector<Open> open;  // collections being read, innermost last
    size_t depth_used = 0;   // open[0, depth_used) are live; the rest keep their capacity
    std::unordered_map<std::string, uint32_t> anchors;
    int documents = 0;
    bool in_second = false;

    auto add_child = [&](uint32_t node) {
        if (depth_used > 0) open[depth_used - 1].kids.push_back(node);
    };
    auto new_node = [&](NodeType type, const yaml_event_t& e) {
        const auto i = uint32_t(nodes_.size());
        nodes_.push_back(Data{type, false, false, mark_of(e.start_mark), 0, 0, 0});
        if (const char* a = anchor_of(e)) anchors[a] = i;
        return i;
    };

    for (;;) {
        if (!ev.next(p)) {
            error_ = syntax_error(p, text);
            break;
        }
        const yaml_event_t& e = *ev;
        if (e.type == YAML_STREAM_END_EVENT) break;
        if (e.type == YAML_DOCUMENT_START_EVENT) {
            if (++documents == 2) in_second = true;
            continue;
        }
        if (e.type == YAML_STREAM_START_EVENT || e.type == YAML_DOCUMENT_END_EVENT) continue;
        if (in_second) {  // the first node of another document
            error_ = SyntaxError{mark_of(e.start_mark), "a topology file holds one YAML document; found another"};
            break;
        }
        switch (e.type) {
            case YAML_ALIAS_EVENT: {
                const auto it = anchors.find(reinterpret_cast<const char*>(e.data.alias.anchor));
                if (it == anchors.end()) {
                    error_ = SyntaxError{mark_of(e.start_mark),
                                         fmt::format("unknown anchor '*{}'",
                                                     reinterpret_cast<const char*>(e.data.alias.anchor))};
                    break;
                }
                add_child(it->second);
                break;
            }
            case YAML_SCALAR_EVENT: {
                const std::string_view value(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
                const auto style = e.data.scalar.style;
                const bool plain = style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE;
                const bool null = plain && !e.data.scalar.tag && is_null_word(value);
                const uint32_t i = new_node(null ? NodeType::Null : NodeType::Scalar, e);
                if (!null) {
                    Data& d = nodes_[i];
                    d.quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
                    d.block = style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE;
                    d.scalar = uint32_t(scalars_.size());
                    scalars_.emplace_back(value);
                }
                add_child(i);
                break;
            }
            case YAML_SEQUENCE_START_EVENT:
            case YAML_MAPPING_START_EVENT: {
                // A topology nests six levels; libyaml's time grows with depth times size
                // (200,000 nested '[' took 82 s), so a depth no topology has stops here.
                if (depth_used == kMaxDepth) {
                    error_ = SyntaxError{mark_of(e.start_mark),
                                         fmt::format("YAML nested deeper than {} levels", kMaxDepth)};
                    break;
                }
                const uint32_t i =
                    new_node(e.type == YAML_SEQUENCE_START_EVENT ? NodeType::Sequence : NodeType::Map, e);
                add_child(i);
                if (depth_used == open.size()) open.push_back({});
                open[depth_used].node = i;
                open[depth_used].kids.clear();
                ++depth_used;
                break;
            }
            case YAML_SEQUENCE_END_EVENT:
            case YAML_MAPPING_END_EVENT: {
                Open& o = open[--depth_used];
                Data& d = nodes_[o.node];
                d.first = uint32_t(kids_.size());
                d.count = uint32_t(o.kids.size());
                kids_.insert(kids_.end(), o.kids.begin(), o.kids.end());
                if (o.kids.capacity() > 4096) o.kids = {};  // a big list's room is not kept for the next one
                break;
            }
            default: break;
        }
        if (error_) break;
    }
    if (error_) {  // a document with a syntax error is not read at all, as yaml-cpp did
        nodes_.clear();
        scalars_.clear();
        kids_.clear();
    }
}

NodeType Node::Type() const { return doc_ ? doc_->nodes_[i_].type : NodeType::Null; }

const std::string& Node::Scalar() const {
    static const std::string none;
    return IsScalar() ? doc_->scalars_[doc_->nodes_[i_].scalar] : none;
}

Mark Node::Mark() const { return doc_ ? doc_->nodes_[i_].mark : yaml::Mark{}; }
bool Node::IsQuoted() const { return doc_ && doc_->nodes_[i_].quoted; }
bool Node::IsBlock() const { return doc_ && doc_->nodes_[i_].block; }

size_t Node::size() const {
    if (!doc_) return 0;
    const auto& d = doc_->nodes_[i_];
    return d.type == NodeType::Map ? d.count / 2 : d.type == NodeType::Sequence ? d.count : 0;
}

Node::iterator Node::begin() const { return iterator(*this, 0); }
Node::iterator Node::end() const { return iterator(*this, size()); }

void Node::iterator::load() {
    if (k_ >= n_.size()) return;
    const Document& doc = *n_.doc_;
    const auto& d = doc.nodes_[n_.i_];
    if (d.type == NodeType::Map) {
        item_.first = Node(&doc, doc.kids_[d.first + 2 * k_]);
        item_.second = Node(&doc, doc.kids_[d.first + 2 * k_ + 1]);
        static_cast<Node&>(item_) = Node();
    } else {
        static_cast<Node&>(item_) = Node(&doc, doc.kids_[d.first + k_]);
    }
}

std::optional<bool> to_bool(std::string_view s) {
    static constexpr std::array<std::string_view, 8> yes{"y", "yes", "true", "on", "Y", "Yes", "True", "On"};
    static constexpr std::array<std::string_view, 8> no{"n", "no", "false", "off", "N", "No", "False", "Off"};
    static constexpr std::array<std::string_view, 4> yes_upper{"YES", "TRUE", "ON", "Y"};
    static constexpr std::array<std::string_view, 4> no_upper{"NO", "FALSE", "OFF", "N"};
    auto in = [s](const auto& words) { return std::find(words.begin(), words.end(), s) != words.end(); };
    if (in(yes) || in(yes_upper)) return true;
    if (in(no) || in(no_upper)) return false;
    return std::nullopt;
}

}  // namespace vethlab::yaml
