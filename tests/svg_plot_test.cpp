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
using vethlab::testing::AxisMap;
using vethlab::testing::axis_map;
using vethlab::testing::polyline_points;

namespace {

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
