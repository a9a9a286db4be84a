#include "model/topology.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "model/yaml_reader.hpp"

namespace vethlab {
namespace {

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// YAML by extension; otherwise by content: a script's first command starts with a
// word like ip/sudo/set, a topology's first key is a YAML mapping key.
bool looks_like_yaml(std::string_view path, std::string_view text) {
    if (ends_with(path, ".yaml") || ends_with(path, ".yml")) return true;
    if (ends_with(path, ".sh")) return false;
    for (size_t pos = 0; pos < text.size();) {  // line by line, without copying the text
        const size_t nl = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        const auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        if (line.rfind("---", start) == start) return true;
        const auto colon = line.find(':');
        const auto space = line.find_first_of(" \t", start);
        return colon != std::string::npos && (space == std::string::npos || colon < space);
    }
    return false;
}

}  // namespace

Applied apply_all(const Topology& topo) {
    Applied out;
    for (const auto& edit : topo.edits) {
        if (auto err = out.state.apply(edit.op)) {
            SourceLoc loc = edit.loc;
            if (loc.file.empty()) loc.file = topo.file;
            out.errors.push_back({loc, fmt::format("the kernel would refuse '{}': {}", edit.text, *err)});
        }
    }
    return out;
}

Diagnostics stream_topology(const std::string& path, const EditSink& sink) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {{{path, 0, 0}, "cannot open file"}};
    // One read of the whole file (a char-by-char copy took most of a second for the
    // 90 MB n = 1000 mesh); what a pipe or /proc file holds past its size, read on.
    std::string text;
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
        text.resize(size_t(size));
        in.read(text.data(), std::streamsize(size));
        text.resize(size_t(in.gcount()));
    }
    in.clear();
    for (char buf[65536]; in.read(buf, sizeof buf) || in.gcount() > 0;) text.append(buf, size_t(in.gcount()));
    if (looks_like_yaml(path, text)) return stream_yaml_topology(text, path, sink);
    return stream_ip_script(text, path, sink);
}

Parsed load_topology(const std::string& path) {
    Parsed out;
    out.topology.file = path;
    out.errors = stream_topology(path, [&out](Edit&& e) { out.topology.edits.push_back(std::move(e)); });
    return out;
}

Parsed check_topology(const std::string& path) {
    Parsed parsed = load_topology(path);
    if (!parsed.ok()) return parsed;
    parsed.errors = apply_all(parsed.topology).errors;
    return parsed;
}

}  // namespace vethlab
