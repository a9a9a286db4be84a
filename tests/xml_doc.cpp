#include "xml_doc.hpp"

#include <expat.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace vethlab::testing {

std::string XmlNode::attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? "" : it->second;
}

double XmlNode::number(const std::string& key) const { return std::strtod(attr(key).c_str(), nullptr); }

bool XmlNode::has_class(const std::string& cls) const {
    std::istringstream words(attr("class"));
    for (std::string w; words >> w;)
        if (w == cls) return true;
    return false;
}

std::vector<const XmlNode*> XmlNode::find_all(const std::string& tag, const std::string& cls) const {
    std::vector<const XmlNode*> out;
    if (name == tag && (cls.empty() || has_class(cls))) out.push_back(this);
    for (const auto& c : children) {
        auto sub = c->find_all(tag, cls);
        out.insert(out.end(), sub.begin(), sub.end());
    }
    return out;
}

namespace {

struct Builder {
    std::unique_ptr<XmlNode> root;
    std::vector<XmlNode*> open;
};

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto& b = *static_cast<Builder*>(data);
    auto node = std::make_unique<XmlNode>();
    node->name = name;
    for (size_t i = 0; attrs[i]; i += 2) node->attrs[attrs[i]] = attrs[i + 1];
    XmlNode* raw = node.get();
    if (b.open.empty()) b.root = std::move(node);
    else b.open.back()->children.push_back(std::move(node));
    b.open.push_back(raw);
}

void on_end(void* data, const XML_Char*) { static_cast<Builder*>(data)->open.pop_back(); }

void on_text(void* data, const XML_Char* s, int len) {
    auto& b = *static_cast<Builder*>(data);
    if (!b.open.empty()) b.open.back()->text.append(s, size_t(len));
}

}  // namespace

XmlParse parse_xml(const std::string& text) {
    Builder b;
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, &b);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XmlParse out;
    if (XML_Parse(p, text.data(), int(text.size()), 1) == XML_STATUS_ERROR)
        out.error = std::string(XML_ErrorString(XML_GetErrorCode(p))) + " at line " +
                    std::to_string(XML_GetCurrentLineNumber(p));
    else out.root = std::move(b.root);
    XML_ParserFree(p);
    return out;
}

double AxisMap::value(double px) const {
    const double t = (px - p0) / (p1 - p0);
    return log ? std::pow(10, std::log10(v0) + t * (std::log10(v1) - std::log10(v0))) : v0 + t * (v1 - v0);
}

AxisMap axis_map(const XmlNode& svg, const std::string& which, bool log) {
    const XmlNode* axis = nullptr;
    for (const auto* g : svg.find_all("g", "axis"))
        if (g->has_class(which)) axis = g;
    if (!axis) throw std::runtime_error("the chart has no " + which + " axis");
    const auto ticks = axis->find_all("g", "tick");
    if (ticks.size() < 2) throw std::runtime_error("the " + which + " axis has fewer than two ticks");
    auto pos = [&](const XmlNode* t) {
        const XmlNode* line = t->find_all("line", "grid").at(0);
        return which == "x" ? line->number("x1") : line->number("y1");
    };
    return {ticks.front()->number("data-value"), pos(ticks.front()), ticks.back()->number("data-value"),
            pos(ticks.back()), log};
}

std::vector<std::pair<double, double>> polyline_points(const XmlNode& series) {
    std::vector<std::pair<double, double>> out;
    std::istringstream in(series.find_all("polyline").at(0)->attr("points"));
    for (std::string xy; in >> xy;) {
        const auto comma = xy.find(',');
        out.emplace_back(std::stod(xy.substr(0, comma)), std::stod(xy.substr(comma + 1)));
    }
    return out;
}

}  // namespace vethlab::testing
