#pragma once
// Line charts as self-contained SVG: axes with ticks and labels, a legend, one polyline
// with markers per series, and a linear or logarithmic y axis.
#include <string>
#include <utility>
#include <vector>

namespace vethlab::analysis {

struct Series {
    std::string name;
    std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

struct PlotOptions {
    std::string title;
    std::string x_label;
    std::string y_label;
    bool log_y = false;  // points with y <= 0 are left out on a log scale
    int width = 860;
    int height = 520;
};

// Every tick is a <g class="tick" data-value="V"> holding its grid line and label; each
// series a <g class="series" data-name="NAME"> holding its <polyline> and markers, so the
// drawing can be read back (tests do).
std::string svg_line_chart(const std::vector<Series>& series, const PlotOptions& options);

// "1", "250", "12,000", "1.5M": short tick labels.
std::string tick_label(double v);
// Round steps (1, 2 or 5 times a power of ten) from lo to hi, about `target` of them.
std::vector<double> nice_ticks(double lo, double hi, int target);

}  // namespace vethlab::analysis
