#pragma once
// Private to the YAML reader: the topology as declared in the file (before it is compiled
// to edits), and a YamlSource that reads the nodes (yaml_doc.hpp) with their locations and collects
// every problem as a diagnostic instead of stopping at the first.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/edit.hpp"
#include "model/topology.hpp"
#include "model/yaml_doc.hpp"

namespace vethlab::yaml {

struct AddrDecl {
    IfAddr addr;
    std::optional<Ipv4> broadcast;  // "10.0.0.1/24 brd +" 
    SourceLoc loc;
};

// A tap, dummy or bridge under `links:`, one end of a veth, or a namespace's lo.
struct LinkDecl {
    std::string ns;
    std::string name;
    LinkKind kind = LinkKind::tap;
    SourceLoc loc;  // where the link is named
    std::optional<uint32_t> mtu;
    std::optional<Mac> mac;
    bool up = true;
    SourceLoc up_loc;  // the `up:` value when given, else loc
    std::vector<AddrDecl> addrs;
    std::string master;  // `master: br0`: a bridge in the same namespace
    SourceLoc master_loc;
};

struct VethDecl {
    LinkDecl a;
    LinkDecl b;
    SourceLoc loc;
};

struct RouteDecl {
    RouteSpec spec;
    SourceLoc loc;
};

struct SysctlDecl {
    std::string key;  // dotted
    std::string value;
    SourceLoc loc;
};

struct StepDecl {
    std::string command;
    SourceLoc loc;
};

struct NsDecl {
    std::string name;
    SourceLoc loc;
    LinkDecl lo;  // kind loopback; down unless `lo: up`
    std::vector<LinkDecl> links;
    std::vector<RouteDecl> routes;
    std::vector<SysctlDecl> sysctls;
};

struct TopologyDecl {
    std::string file;  // the locations below are line:col in it
    std::vector<NsDecl> namespaces;
    std::vector<VethDecl> veths;
    std::vector<StepDecl> steps;
};

// One entry of a YAML map whose key is a scalar.
struct Entry {
    std::string key;
    Node key_node;
    Node value;
};

class YamlSource {
public:
    explicit YamlSource(std::string file) : file_(std::move(file)) {}

    // line:col of a node (1-based). `offset` is a byte offset inside a one-line scalar
    // (the opening quote of a quoted scalar is skipped). Locations inside the reader and
    // the declaration carry no file name -- half a million veths held seven heap copies
    // of it each -- it is added where a location leaves: error(), at(), compile_decl.
    SourceLoc loc(const Node& node, size_t offset = 0) const;
    SourceLoc loc(const Mark& mark) const;
    SourceLoc at(const SourceLoc& loc) const { return SourceLoc{file_, loc.line, loc.col}; }  // with the file
    const std::string& file() const { return file_; }
    void error(const SourceLoc& at, std::string message);

    // The entries of a map: non-scalar keys, keys given twice and keys not in `known`
    // (with a did-you-mean) are reported and dropped. `what`: "link 'tap0'".
    std::vector<Entry> entries(const Node& map, std::string_view what,
                               std::initializer_list<std::string_view> known);
    std::vector<Entry> entries(const Node& map, std::string_view what);  // any key

    // Typed values; on a wrong type report "'KEY' of WHAT must be ..." and return nullopt.
    std::optional<std::string> scalar(const Node& n, std::string_view what);
    std::optional<bool> boolean(const Node& n, std::string_view what);
    std::optional<uint32_t> number(const Node& n, std::string_view what);
    // A sequence of scalars, or one scalar as a sequence of one; null is empty.
    std::vector<Node> scalars(const Node& n, std::string_view what);

    Diagnostics take_errors() { return std::move(errors_); }
    // A source for the same file, for reading part of it on another thread; its errors
    // are merged back with adopt().
    YamlSource sibling() const { return YamlSource(file_); }
    void adopt(YamlSource&& other) {
        errors_.insert(errors_.end(), std::make_move_iterator(other.errors_.begin()),
                       std::make_move_iterator(other.errors_.end()));
    }

private:
    std::string file_;
    Diagnostics errors_;
};

std::string_view node_type_name(const Node& n);  // "a map", "a list", "a string", "nothing"
// The candidate closest to `word` by edit distance, if close enough to be a typo.
std::optional<std::string> did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates);

// From this many veths on, the reader uses a second thread (half the list; the checks
// beside the compilation): a 1000-namespace mesh has half a million.
inline constexpr size_t kParallelItems = 20000;

// Readers of the parts of a topology (yaml_reader.cpp, yaml_links.cpp).
std::optional<LinkDecl> read_link(YamlSource& src, const Entry& e, const std::string& ns);
void read_lo(YamlSource& src, const Node& n, LinkDecl& lo);
std::optional<VethDecl> read_veth(YamlSource& src, const Node& n);
void read_addresses(YamlSource& src, const Node& n, std::string_view what, LinkDecl& link);

// Cross checks over the whole declaration: names, duplicates, undeclared namespaces.
void check_decl(YamlSource& src, const TopologyDecl& decl);
// The canonical edit order (DESIGN.md), steps parsed with parse_ip_command.
void compile_decl(const TopologyDecl& decl, const EditSink& sink, Diagnostics& errors);

}  // namespace vethlab::yaml
