// The YAML document reader (model/yaml_doc): libyaml's events as a tree with marks.
#include <catch2/catch.hpp>

#include <string>

#include "model/yaml_doc.hpp"
#include "model/yaml_reader.hpp"

using namespace vethlab;
using namespace vethlab::yaml;

namespace {

std::string errors_of(const std::string& text) {
    std::string out;
    for (const auto& d : parse_yaml_topology(text, "t.yaml").errors)
        out += std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " + d.message + "\n";
    return out;
}

}  // namespace

TEST_CASE("yaml doc: maps, lists, scalars and their marks", "[yaml]") {
    const Document doc("a: [x, 'y z']\nb:\n  c: |\n    text\n");
    REQUIRE_FALSE(doc.error());
    const Node root = doc.root();
    REQUIRE(root.IsMap());
    REQUIRE(root.size() == 2);
    auto it = root.begin();
    CHECK(it->first.Scalar() == "a");
    CHECK(it->first.Mark().line == 0);
    const Node list = it->second;
    REQUIRE(list.IsSequence());
    REQUIRE(list.size() == 2);
    auto li = list.begin();
    CHECK(li->Scalar() == "x");
    CHECK(li->Mark().column == 4);
    ++li;
    CHECK(li->Scalar() == "y z");
    CHECK(li->IsQuoted());
    CHECK(li->Mark().column == 7);
    ++li;
    CHECK(li == list.end());
    ++it;
    CHECK(it->first.Scalar() == "b");
    const Node c = it->second.begin()->second;
    CHECK(c.Scalar() == "text\n");
    CHECK(c.IsBlock());
    CHECK(c.Mark().line == 2);
    ++it;
    CHECK(it == root.end());
}

TEST_CASE("yaml doc: plain empty, ~ and null are null, quoted ones are strings", "[yaml]") {
    const Document doc("[, ~, null, NULL, '', \"null\", nil]\n");
    // A flow list may not start with ','; the same values as a block list:
    CHECK(doc.error());
    const Document ok("- \n- ~\n- null\n- NULL\n- ''\n- \"null\"\n- nil\n");
    REQUIRE_FALSE(ok.error());
    std::string types;
    for (auto it = ok.root().begin(); it != ok.root().end(); ++it) types += it->IsNull() ? 'n' : 's';
    CHECK(types == "nnnnsss");
}

TEST_CASE("yaml doc: aliases are the anchored node, an unknown anchor is an error", "[yaml]") {
    const Document doc("a: &x {k: v}\nb: *x\n");
    REQUIRE_FALSE(doc.error());
    auto it = doc.root().begin();
    ++it;
    CHECK(it->second.IsMap());
    CHECK(it->second.begin()->second.Scalar() == "v");
    CHECK(errors_of("namespaces: {a: {lo: *nope}}\n") == "1:22: unknown anchor '*nope'\n");
}

TEST_CASE("yaml doc: booleans as yaml-cpp read them", "[yaml]") {
    for (const char* s : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) CHECK(to_bool(s) == true);
    for (const char* s : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) CHECK(to_bool(s) == false);
    for (const char* s : {"", "tRue", "1", "0", "maybe", "yES"}) CHECK_FALSE(to_bool(s).has_value());
}

TEST_CASE("yaml doc: syntax errors say where, and nothing of the document is read", "[yaml]") {
    const Document doc("a: [1, 2\nb: 3\n");
    REQUIRE(doc.error());
    CHECK(doc.error()->mark.line == 1);
    CHECK(doc.root().IsNull());
    CHECK(errors_of("namespaces: {a: {}}\n\xff\n") == "2:1: invalid leading UTF-8 octet (byte 0xff)\n");
    CHECK(errors_of("namespaces: {}\n---\nnamespaces: {}\n") ==
          "3:1: a topology file holds one YAML document; found another\n");
    CHECK(errors_of("namespaces: {}\n...\n").empty());  // an explicit end is no second document
}

TEST_CASE("yaml doc: nesting deeper than 256 levels is refused, quickly", "[yaml]") {
    const std::string deep = std::string(200000, '[') + std::string(200000, ']') + "\n";
    CHECK(errors_of(deep) == "1:257: YAML nested deeper than 256 levels\n");
    const std::string fine = std::string(200, '[') + std::string(200, ']') + "\n";
    CHECK(errors_of(fine) == "1:1: the topology must be a map, not a list\n");
}

TEST_CASE("yaml reader: a big veth list is read on two threads, with the same edits and errors", "[yaml]") {
    // 20,010 veths (the second half is read on another thread, the checks run beside the
    // compilation); bad items and duplicate names in both halves.
    std::string text = "namespaces: {a: {}, b: {}}\nveths:\n";
    std::vector<int> bad_lines, dup_lines;
    const int count = 20010;
    for (int k = 0; k < count; ++k) {
        const int line = 3 + k;
        if (k == 5 || k == 15000) {
            text += "  - a:x" + std::to_string(k) + "\n";  // no other end
            bad_lines.push_back(line);
        } else if (k == 100 || k == 19000) {
            text += "  - a:v1 -- b:w" + std::to_string(k) + "\n";  // a:v1 again
            dup_lines.push_back(line);
        } else {
            text += "  - a:v" + std::to_string(k) + " -- b:w" + std::to_string(k) + "\n";
        }
    }
    Parsed p = parse_yaml_topology(text, "t.yaml");
    std::vector<int> error_lines;
    for (const auto& d : p.errors) error_lines.push_back(d.loc.line);
    CHECK(error_lines == std::vector<int>{bad_lines[0], dup_lines[0], bad_lines[1], dup_lines[1]});
    CHECK(p.errors.at(1).message.find("interface 'v1' is defined twice") != std::string::npos);
    // Every good item became one veth, in file order.
    std::vector<std::string> added;
    for (const auto& e : p.topology.edits)
        if (const auto* add = std::get_if<LinkAdd>(&e.op)) added.push_back(add->name);
    REQUIRE(added.size() == size_t(count - 2));
    CHECK(added[0] == "v0");
    CHECK(added[5] == "v6");
    CHECK(added[99] == "v1");  // item 100, after the bad item 5
    CHECK(added.back() == "v" + std::to_string(count - 1));
}
