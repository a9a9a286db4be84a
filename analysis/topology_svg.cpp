#include "analysis/topology_svg.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "analysis/layout.hpp"
#include "analysis/svg_text.hpp"
#include "model/graph.hpp"
#include "model/names.hpp"

namespace vethlab::analysis {
namespace {

constexpr double kMargin = 70;
// Ends are labelled while they can be read: few pairs, few per namespace. Otherwise
// each pair still names its ends in a tooltip (<title>).
constexpr size_t kLabelledPairs = 12, kLabelledDegree = 4;

double radius(const std::string& label) { return std::max(20.0, 3.6 * double(label.size()) + 8); }

std::vector<std::string> addresses(const NetState& st, const std::string& ns, const std::string& ifname) {
    std::vector<std::string> out;
    if (const Namespace* n = st.ns(ns))
        if (const Link* l = n->link(ifname))
            for (const auto& a : l->addrs) out.push_back(a.addr.str());
    return out;
}

std::string end_text(const NetState& st, const std::string& ns, const std::string& ifname) {
    std::string out = ns_display(ns) + ":" + ifname;
    for (const auto& a : addresses(st, ns, ifname)) out += " " + a;
    return out;
}

struct Canvas {
    const NetState& st;
    const TopologyGraph& g;
    Layout layout;
    std::map<std::string, size_t> index;
    bool labels = true;

    Point at(const std::string& ns) const {
        const Point p = layout.position[index.at(ns)];
        return {p.x + kMargin, p.y + kMargin + 20};
    }

    // Device name over its addresses.
    std::string label_at(Point p, const std::string& ns, const std::string& ifname) const {
        std::string lines = fmt::format("<tspan x=\"{}\" dy=\"0\">{}</tspan>", coord(p.x), xml_escape(ifname));
        for (const auto& a : addresses(st, ns, ifname))
            lines += fmt::format("<tspan x=\"{}\" dy=\"11\">{}</tspan>", coord(p.x), xml_escape(a));
        return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#444\" "
                           "stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
                           coord(p.x), coord(p.y), lines);
    }

    // The m-th of `count` pairs between two namespaces bends by `offset` to be seen apart.
    std::string veth(const VethEdge& e, double offset) const {
        const Point a = at(e.ns_a), b = at(e.ns_b);
        std::string path, la, lb;
        Point pa, pb;
        if (e.ns_a == e.ns_b) {  // a loop above the namespace
            const double r = radius(ns_display(e.ns_a)), h = r + 26 + offset;
            path = fmt::format("M{} {}C{} {} {} {} {} {}", coord(a.x - 8), coord(a.y - r + 2), coord(a.x - 40),
                               coord(a.y - h - 20), coord(a.x + 40), coord(a.y - h - 20), coord(a.x + 8),
                               coord(a.y - r + 2));
            pa = {a.x - 34, a.y - h}, pb = {a.x + 34, a.y - h};
        } else {
            const double dx = b.x - a.x, dy = b.y - a.y, len = std::max(std::hypot(dx, dy), 1.0);
            const Point mid{(a.x + b.x) / 2 - dy / len * offset * 2, (a.y + b.y) / 2 + dx / len * offset * 2};
            path = fmt::format("M{} {}Q{} {} {} {}", coord(a.x), coord(a.y), coord(mid.x), coord(mid.y), coord(b.x),
                               coord(b.y));
            auto along = [&](double t) {  // a point of the curve
                return Point{(1 - t) * (1 - t) * a.x + 2 * t * (1 - t) * mid.x + t * t * b.x,
                             (1 - t) * (1 - t) * a.y + 2 * t * (1 - t) * mid.y + t * t * b.y};
            };
            pa = along(0.3), pb = along(0.7);
        }
        std::string out = fmt::format(
            "<g class=\"veth\" data-a=\"{}:{}\" data-b=\"{}:{}\"><title>{} -- {}</title><path d=\"{}\" "
            "fill=\"none\" stroke=\"#5a6b7b\" stroke-width=\"1.6\"/>",
            xml_escape(e.ns_a), xml_escape(e.if_a), xml_escape(e.ns_b), xml_escape(e.if_b),
            xml_escape(end_text(st, e.ns_a, e.if_a)), xml_escape(end_text(st, e.ns_b, e.if_b)), path);
        if (labels) out += label_at(pa, e.ns_a, e.if_a) + label_at(pb, e.ns_b, e.if_b);
        return out + "</g>\n";
    }

    std::string node(const std::string& ns) const {
        const Point p = at(ns);
        const std::string label = ns_display(ns);
        return fmt::format("<g class=\"namespace\" data-name=\"{}\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#dbe9f6\" "
                           "stroke=\"#0072B2\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                           "font-size=\"12\">{}</text></g>\n",
                           xml_escape(ns), coord(p.x), coord(p.y), coord(radius(label)), coord(p.x), coord(p.y + 4),
                           xml_escape(label));
    }
};

}  // namespace

std::string topology_svg(const NetState& state, const std::string& title) {
    const TopologyGraph g(state);
    bool labels = g.edge_count() <= kLabelledPairs;
    for (const auto& ns : g.namespaces()) labels = labels && g.degree(ns) <= kLabelledDegree;
    Canvas c{state, g, layout_graph(g, labels ? 190 : 110), {}, labels};
    for (size_t i = 0; i < g.namespaces().size(); ++i) c.index.emplace(g.namespaces()[i], i);
    const double w = c.layout.width + 2 * kMargin, h = c.layout.height + 2 * kMargin + 20;
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" fill=\"#222\">\n<title>{2}</title>\n"
        "<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text x=\"12\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{2}</text>\n",
        coord(w), coord(h), xml_escape(title));
    out += "<g class=\"veths\">\n";
    std::map<std::pair<std::string, std::string>, size_t> seen, count;  // pairs per two namespaces
    for (const auto& e : g.edges()) ++count[{e.ns_a, e.ns_b}];
    for (const auto& e : g.edges()) {
        const size_t n = count[{e.ns_a, e.ns_b}], m = seen[{e.ns_a, e.ns_b}]++;
        const double offset = e.ns_a == e.ns_b ? 14.0 * double(m) : 30.0 * (double(m) - double(n - 1) / 2);
        out += c.veth(e, offset);
    }
    out += "</g>\n<g class=\"namespaces\">\n";
    for (const auto& ns : g.namespaces()) out += c.node(ns);
    return out + "</g>\n</svg>\n";
}

}  // namespace vethlab::analysis
