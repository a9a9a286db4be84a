// Charts read back: the SVG parses as XML, and each plotted point, mapped back through the
// axes' own ticks, is the data it was drawn from.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "analysis/growth.hpp"
#include "analysis/svg_plot.hpp"
#include "xml_doc.hpp"

using namespace vethlab;
using vethlab::testing::parse_xml;
using vethlab::testing::XmlNode;

namespace {

// From pixels back to data along one axis, fitted through its first and last tick.
struct AxisMap {
    double v0, p0, v1, p1;
    bool log;
    double value(double px) const {
        const double t = (px - p0) / (p1 - p0);
        return log ? std::pow(10, std::log10(v0) + t * (std::log10(v1) - std::log10(v0))) : v0 + t * (v1 - v0);
    }
};

AxisMap axis_map(const XmlNode& svg, const std::string& which, bool log) {
    const XmlNode* axis = nullptr;
    for (const auto* g : svg.find_all("g", "axis"))
        if (g->has_class(which)) axis = g;
    REQUIRE(axis);
    const auto ticks = axis->find_all("g", "tick");
    REQUIRE(ticks.size() >= 2);
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

void check_reads_back(const std::vector<analysis::Series>& data, bool log) {
    analysis::PlotOptions o{"veth pairs needed by n namespaces", "n (namespaces)", "veth pairs", log};
    const std::string svg = analysis::svg_line_chart(data, o);
    const auto doc = parse_xml(svg);
    INFO(doc.error);
    REQUIRE(doc.root);
    CHECK(doc.root->name == "svg");
    CHECK(doc.root->attr("xmlns") == "http://www.w3.org/2000/svg");
    const AxisMap x = axis_map(*doc.root, "x", false), y = axis_map(*doc.root, "y", log);
    const auto series = doc.root->find_all("g", "series");
    REQUIRE(series.size() == data.size());
    for (size_t s = 0; s < data.size(); ++s) {
        INFO(data[s].name);
        CHECK(series[s]->attr("data-name") == data[s].name);
        const auto points = polyline_points(*series[s]);
        std::vector<std::pair<double, double>> shown;  // a log axis cannot show 0
        for (const auto& p : data[s].points)
            if (!log || p.second > 0) shown.push_back(p);
        REQUIRE(points.size() == shown.size());
        for (size_t i = 0; i < points.size(); ++i) {
            const auto [dx, dy] = shown[i];
            CHECK(x.value(points[i].first) == Approx(dx).margin(0.05));
            CHECK(y.value(points[i].second) == Approx(dy).epsilon(log ? 1e-3 : 0).margin(log ? 0 : 0.5));
        }
        CHECK_FALSE(series[s]->find_all("g", "markers").at(0)->children.empty());
    }
    const auto legend = doc.root->find_all("g", "legend");
    REQUIRE(legend.size() == 1);
    CHECK(legend[0]->find_all("text").size() == data.size());
    CHECK(doc.root->find_all("text", "title").at(0)->text == "veth pairs needed by n namespaces");
}

}  // namespace

TEST_CASE("plot: the growth chart reads back to the counts, linear and log", "[analysis][svg]") {
    const auto table = analysis::link_growth(2, 50);
    const auto series = analysis::growth_series(table, "pairs");
    REQUIRE(series.size() == 4);
    CHECK(series[0].name == "full mesh: n(n-1)/2");
    CHECK(series[1].name == "bridge: n");
    CHECK(series[2].name == "ring: n");  // a ring of 2 is one pair: not the bridge's line
    CHECK(series[3].name == "line = star: n-1");
    CHECK(series[0].points.back() == std::pair<double, double>(50, 1225));
    check_reads_back(series, false);
    check_reads_back(series, true);
    check_reads_back(analysis::growth_series(analysis::link_growth(1, 400), "interfaces"), true);
}

TEST_CASE("plot: ticks are round numbers and labels short", "[analysis][svg]") {
    CHECK(analysis::nice_ticks(0, 1225, 6) == std::vector<double>{0, 200, 400, 600, 800, 1000, 1200});
    CHECK(analysis::nice_ticks(2, 50, 8) == std::vector<double>{5, 10, 15, 20, 25, 30, 35, 40, 45, 50});
    CHECK(analysis::tick_label(1200) == "1,200");
    CHECK(analysis::tick_label(2500000) == "2.5M");
    CHECK(analysis::tick_label(0.5) == "0.5");
    CHECK(analysis::tick_label(40) == "40");
}

TEST_CASE("plot: names are escaped, and a log axis leaves out what it cannot show", "[analysis][svg]") {
    const std::vector<analysis::Series> data{{"a<b & \"c\"", {{1, 0}, {2, 10}, {3, 100}}}};
    const auto doc = parse_xml(analysis::svg_line_chart(data, {"t", "x", "y", true}));
    INFO(doc.error);
    REQUIRE(doc.root);
    const auto series = doc.root->find_all("g", "series");
    REQUIRE(series.size() == 1);
    CHECK(series[0]->attr("data-name") == "a<b & \"c\"");
    CHECK(polyline_points(*series[0]).size() == 2);
}
