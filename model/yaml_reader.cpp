// The YAML topology reader: namespaces, routes, sysctls and steps; links and veths are
// read in yaml_links.cpp, checked and compiled to edits in yaml_compile.cpp.
#include "model/yaml_reader.hpp"

#include <algorithm>
#include <exception>
#include <thread>

#include <fmt/format.h>

#include "model/ip_script.hpp"
#include "model/yaml_decl.hpp"

namespace vethlab {
namespace yaml {
namespace {

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        const size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

void add_route(YamlSource& src, const Node& at, const std::vector<std::string>& words, NsDecl& ns) {
    auto spec = parse_route_spec(words);
    if (!spec) {
        src.error(src.loc(at), fmt::format("route '{}': {}", join_words(words), spec.error()));
        return;
    }
    ns.routes.push_back({*spec, src.loc(at)});
}

// {to: 10.1.0.0/24, via: 10.0.0.2, metric: 100, ...}: the same words as `ip route add`.
void read_route_map(YamlSource& src, const Node& n, NsDecl& ns) {
    const auto fields = src.entries(
        n, "route", {"to", "via", "dev", "src", "metric", "table", "scope", "proto", "type", "tos", "onlink"});
    std::vector<std::string> head;  // [type] prefix
    std::vector<std::string> rest;
    bool has_to = false;
    for (const auto& f : fields) {
        const std::string what = fmt::format("'{}' of route", f.key);
        if (f.key == "onlink") {
            if (auto on = src.boolean(f.value, what); on && *on) rest.push_back("onlink");
            continue;
        }
        auto value = src.scalar(f.value, what);
        if (!value) return;
        if (f.key == "to") {
            head.push_back(*value);
            has_to = true;
        } else if (f.key == "type") {
            head.insert(head.begin(), *value);
        } else {
            rest.insert(rest.end(), {f.key, *value});
        }
    }
    if (!has_to) {
        src.error(src.loc(n), "a route needs 'to: PREFIX' (or 'to: default')");
        return;
    }
    head.insert(head.end(), rest.begin(), rest.end());
    add_route(src, n, head, ns);
}

void read_routes(YamlSource& src, const Node& n, NsDecl& ns) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
        src.error(src.loc(n), fmt::format("'routes' of namespace '{}' must be a list, not {}", ns.name,
                                          node_type_name(n)));
        return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->IsScalar())
            add_route(src, *it, split_words(it->Scalar()), ns);
        else if (it->IsMap())
            read_route_map(src, *it, ns);
        else
            src.error(src.loc(*it), fmt::format("a route is the words of `ip route add` or a map, not {}",
                                                node_type_name(*it)));
    }
}

void read_sysctls(YamlSource& src, const Node& n, NsDecl& ns) {
    for (const auto& f : src.entries(n, fmt::format("'sysctl' of namespace '{}'", ns.name))) {
        std::string key = f.key;
        std::replace(key.begin(), key.end(), '/', '.');
        auto value = src.scalar(f.value, fmt::format("sysctl '{}'", key));
        if (!value) continue;
        auto first = std::find_if(ns.sysctls.begin(), ns.sysctls.end(), [&](const auto& s) { return s.key == key; });
        if (first != ns.sysctls.end()) {
            src.error(src.loc(f.key_node), fmt::format("sysctl '{}' is set twice in namespace '{}'; first at {}", key,
                                                       ns.name, src.at(first->loc).str()));
            continue;
        }
        ns.sysctls.push_back({key, *value, src.loc(f.key_node)});
    }
}

NsDecl read_namespace(YamlSource& src, const Entry& e) {
    NsDecl ns;
    ns.name = e.key;
    ns.loc = src.loc(e.key_node);
    ns.lo.ns = ns.name;
    ns.lo.name = "lo";
    ns.lo.kind = LinkKind::loopback;
    ns.lo.loc = ns.loc;
    ns.lo.up = false;
    ns.lo.up_loc = ns.loc;
    const std::string what = fmt::format("namespace '{}'", e.key);
    for (const auto& f : src.entries(e.value, what, {"lo", "links", "routes", "sysctl"})) {
        if (f.key == "lo") {
            read_lo(src, f.value, ns.lo);
        } else if (f.key == "links") {
            for (const auto& l : src.entries(f.value, fmt::format("'links' of {}", what)))
                if (auto link = read_link(src, l, ns.name)) ns.links.push_back(std::move(*link));
        } else if (f.key == "routes") {
            read_routes(src, f.value, ns);
        } else {
            read_sysctls(src, f.value, ns);
        }
    }
    return ns;
}

// A map of namespace -> settings, or a plain list of names.
void read_namespaces(YamlSource& src, const Node& n, TopologyDecl& decl) {
    if (n.IsSequence()) {
        for (const auto& item : src.scalars(n, "'namespaces'"))
            decl.namespaces.push_back(read_namespace(src, Entry{item.Scalar(), item, Node()}));
        return;
    }
    for (const auto& e : src.entries(n, "'namespaces'")) decl.namespaces.push_back(read_namespace(src, e));
}

void read_veths(YamlSource& src, const Node& n, TopologyDecl& decl) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
        src.error(src.loc(n), fmt::format("'veths' must be a list, not {}", node_type_name(n)));
        return;
    }
    // Read into their places (half a million in the n = 1000 mesh: no regrowing, no
    // second copy); an item that is not a veth leaves a gap, closed at the end.
    const size_t base = decl.veths.size();
    decl.veths.resize(base + n.size());
    std::vector<char> read(n.size(), 0);
    auto read_range = [&](YamlSource& from, size_t begin, size_t end) {
        auto it = n.begin();
        for (size_t k = 0; k < begin; ++k) ++it;
        for (size_t k = begin; k < end; ++k, ++it) {
            if (auto veth = read_veth(from, *it)) {
                decl.veths[base + k] = std::move(*veth);
                read[k] = 1;
            }
        }
    };
    if (n.size() < kParallelItems) {
        read_range(src, 0, n.size());
    } else {
        // A big list: its second half is read on another thread (the errors of both
        // halves are sorted by place in the end, so which thread found one does not show).
        const size_t half = n.size() / 2;
        YamlSource other = src.sibling();
        std::exception_ptr failed;
        std::thread reader([&] {
            try {
                read_range(other, half, n.size());
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            read_range(src, 0, half);
        } catch (...) {
            reader.join();
            throw;
        }
        reader.join();
        if (failed) std::rethrow_exception(failed);
        src.adopt(std::move(other));
    }
    size_t kept = base;
    for (size_t k = 0; k < n.size(); ++k)
        if (read[k]) {
            if (kept != base + k) decl.veths[kept] = std::move(decl.veths[base + k]);
            ++kept;
        }
    decl.veths.resize(kept);
}

TopologyDecl read_decl(YamlSource& src, const Node& root) {
    TopologyDecl decl;
    decl.file = src.file();
    for (const auto& e : src.entries(root, "the topology", {"namespaces", "veths", "steps"})) {
        if (e.key == "namespaces")
            read_namespaces(src, e.value, decl);
        else if (e.key == "veths")
            read_veths(src, e.value, decl);
        else
            for (const auto& item : src.scalars(e.value, "'steps'")) decl.steps.push_back({item.Scalar(), src.loc(item)});
    }
    return decl;
}

}  // namespace
}  // namespace yaml

Parsed parse_yaml_topology(std::string_view text, const std::string& file) {
    Parsed out;
    out.topology.file = file;
    out.errors = stream_yaml_topology(text, file, [&out](Edit&& e) { out.topology.edits.push_back(std::move(e)); });
    return out;
}

Diagnostics stream_yaml_topology(std::string_view text, const std::string& file, const EditSink& sink) {
    yaml::YamlSource src(file);
    Diagnostics compile_errors;
    try {
        std::optional<yaml::TopologyDecl> read;
        {  // the document goes once read: only the declaration is needed from here on
            const yaml::Document doc(text);
            if (doc.error())
                src.error(src.loc(doc.error()->mark), doc.error()->message);
            else
                read = yaml::read_decl(src, doc.root());
        }
        if (read) {
            const yaml::TopologyDecl& decl = *read;
            if (decl.veths.size() < yaml::kParallelItems) {
                yaml::check_decl(src, decl);
                yaml::compile_decl(decl, sink, compile_errors);
            } else {
                // The checks only report, and the edits need not wait for them (a reader of
                // the edits refuses the whole file when errors come back): on another thread.
                std::exception_ptr failed;
                std::thread checker([&] {
                    try {
                        yaml::check_decl(src, decl);
                    } catch (...) {
                        failed = std::current_exception();
                    }
                });
                try {
                    yaml::compile_decl(decl, sink, compile_errors);
                } catch (...) {
                    checker.join();
                    throw;
                }
                checker.join();
                if (failed) std::rethrow_exception(failed);
            }
        }
    } catch (const std::exception& e) {
        src.error(SourceLoc{file, 0, 0}, e.what());
    }
    Diagnostics errors = src.take_errors();
    errors.insert(errors.end(), compile_errors.begin(), compile_errors.end());
    std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.loc.line, a.loc.col) < std::pair(b.loc.line, b.loc.col);
    });
    return errors;
}

}  // namespace vethlab
