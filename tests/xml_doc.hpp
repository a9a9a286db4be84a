#pragma once
// A tiny DOM over expat, for tests that read back the SVG vethlab writes: a well-formed
// document parses; anything else fails with expat's message and line.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vethlab::testing {

struct XmlNode {
    std::string name;
    std::map<std::string, std::string> attrs;
    std::string text;  // character data directly inside
    std::vector<std::unique_ptr<XmlNode>> children;

    std::string attr(const std::string& key) const;  // "" if absent
    double number(const std::string& key) const;     // the attribute as a number
    bool has_class(const std::string& cls) const;    // among the words of class=""
    // Every descendant (and this node) named `tag` with class `cls` ("" = any), in document order.
    std::vector<const XmlNode*> find_all(const std::string& tag, const std::string& cls = "") const;
};

struct XmlParse {
    std::unique_ptr<XmlNode> root;
    std::string error;  // empty when well formed
};

XmlParse parse_xml(const std::string& text);

// Charts from analysis/svg_plot: from pixels back to data along one axis, fitted through
// its first and last tick.
struct AxisMap {
    double v0, p0, v1, p1;
    bool log;
    double value(double px) const;
};
// The axis of class `which` ("x" or "y") of the chart `svg`; throws if it has fewer than two ticks.
AxisMap axis_map(const XmlNode& svg, const std::string& which, bool log);
// The (x, y) pixels of a <g class="series">'s polyline.
std::vector<std::pair<double, double>> polyline_points(const XmlNode& series);

}  // namespace vethlab::testing
