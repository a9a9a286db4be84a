#pragma once
// One YAML document, read with libyaml's event parser into a compact tree of nodes with
// their source marks. libyaml reads the 29 MB topology of a 1000-namespace mesh in about
// 0.2 s, twenty times faster than yaml-cpp's Load; the readers (yaml_reader.cpp,
// yaml_links.cpp, yaml_source.cpp) see the same small interface yaml-cpp's nodes gave.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vethlab::yaml {

struct Mark {
    long pos = -1;  // byte offset, 0-based; -1: nowhere (a node the file does not hold)
    int line = -1;  // 0-based
    int column = -1;
};

enum class NodeType { Null, Scalar, Sequence, Map };

class Document;

// A handle to a node of a Document (which must outlive it). A default Node is null and
// has no mark.
class Node {
public:
    Node() = default;
    NodeType Type() const;
    bool IsNull() const { return Type() == NodeType::Null; }
    bool IsScalar() const { return Type() == NodeType::Scalar; }
    bool IsSequence() const { return Type() == NodeType::Sequence; }
    bool IsMap() const { return Type() == NodeType::Map; }
    const std::string& Scalar() const;  // "" unless a scalar
    yaml::Mark Mark() const;
    bool IsQuoted() const;  // a scalar in '...' or "...": its text starts a column after its mark
    bool IsBlock() const;   // a scalar in | or > style: its text starts on the next line
    size_t size() const;  // items of a sequence, entries of a map

    // A sequence's items (each a Node), or a map's entries (`first`: key, `second`: value).
    struct Item;
    class iterator;
    iterator begin() const;
    iterator end() const;

private:
    friend class Document;
    Node(const Document* d, uint32_t i) : doc_(d), i_(i) {}
    const Document* doc_ = nullptr;
    uint32_t i_ = 0;
};

struct Node::Item : Node {
    Node first, second;
};

class Node::iterator {
public:
    const Item& operator*() const { return item_; }
    const Item* operator->() const { return &item_; }
    iterator& operator++() {
        ++k_;
        load();
        return *this;
    }
    bool operator==(const iterator& o) const { return k_ == o.k_; }

private:
    friend class Node;
    iterator(Node n, size_t k) : n_(n), k_(k) { load(); }
    void load();
    Node n_;
    size_t k_ = 0;
    Item item_;
};

// A syntax error: where and what, in libyaml's words.
struct SyntaxError {
    Mark mark;
    std::string message;
};

class Document {
public:
    // Reads the first document of `text`; a second document is an error at its first node.
    // Scalars are copied: the text need not outlive the document. Nodes point into the
    // document, which therefore neither copies nor moves.
    explicit Document(std::string_view text);
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    Node root() const { return nodes_.empty() ? Node() : Node(this, 0); }
    const std::optional<SyntaxError>& error() const { return error_; }

private:
    friend class Node;
    struct Data {
        NodeType type = NodeType::Null;
        bool quoted = false;
        bool block = false;
        yaml::Mark mark;
        uint32_t scalar = 0;  // index into scalars_
        uint32_t first = 0;   // children: kids_[first, first + count); a map's alternate key, value
        uint32_t count = 0;
    };
    std::vector<Data> nodes_;
    std::vector<std::string> scalars_;
    std::vector<uint32_t> kids_;
    std::optional<SyntaxError> error_;
};

// yaml-cpp's booleans (YAML 1.1): true/false, yes/no, y/n, on/off, in lower, Upper or UPPER case.
std::optional<bool> to_bool(std::string_view s);

}  // namespace vethlab::yaml
