#include "model/dot_writer.hpp"

#include <fmt/format.h>

#include "model/graph.hpp"
#include "model/names.hpp"

namespace vethlab {
namespace {

// Text from the topology, escaped for a DOT string; labels join such parts with "\\n".
std::string esc(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string quote(std::string_view escaped) { return "\"" + std::string(escaped) + "\""; }

std::string end_label(const Link& link) {
    std::string label = esc(link.name);
    for (const auto& a : link.addrs) label += "\\n" + a.addr.str();
    if (!link.admin_up) label += "\\n(down)";
    return label;
}

std::string ns_label(const Namespace& ns) {
    std::string label = esc(ns_display(ns.name));
    for (const auto& link : ns.links) {
        if (link.kind == LinkKind::veth) continue;
        if (link.kind == LinkKind::loopback && !link.admin_up) {
            label += "\\nlo (down)";
            continue;
        }
        label += fmt::format("\\n{} [{}]", esc(link.name), to_string(link.kind));
        for (const auto& a : link.addrs)
            if (link.kind != LinkKind::loopback) label += " " + a.addr.str();
        if (link.kind != LinkKind::loopback && !link.admin_up) label += " (down)";
    }
    return label;
}

}  // namespace

std::string write_dot(const NetState& state, const std::string& title) {
    TopologyGraph graph(state);
    std::string out = fmt::format("graph {} {{\n  label={};\n  node [shape=box, style=rounded];\n", quote("vethlab"),
                                  quote(esc(title)));
    for (const auto& name : graph.namespaces())
        out += fmt::format("  {} [label={}];\n", quote(esc(ns_display(name))), quote(ns_label(*state.ns(name))));
    for (const auto& e : graph.edges()) {
        const Link* a = state.ns(e.ns_a)->link(e.if_a);
        const Link* b = state.ns(e.ns_b)->link(e.if_b);
        const bool carrier = state.carrier(*state.ns(e.ns_a), *a);
        out += fmt::format("  {} -- {} [taillabel={}, headlabel={}{}];\n", quote(esc(ns_display(e.ns_a))),
                           quote(esc(ns_display(e.ns_b))), quote(end_label(*a)), quote(end_label(*b)),
                           carrier ? "" : ", style=dashed");
    }
    return out + "}\n";
}

}  // namespace vethlab
