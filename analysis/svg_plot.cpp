#include "analysis/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "analysis/svg_text.hpp"

namespace vethlab::analysis {
namespace {

// Okabe-Ito: told apart by people with any common colour blindness, and on grey print.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
constexpr int kLeft = 88, kRight = 200, kTop = 56, kBottom = 62;
constexpr size_t kMaxMarkers = 60;

struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
    std::vector<double> ticks;
    // Where v falls, from 0 (lo) to 1 (hi).
    double frac(double v) const {
        return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
    }
};

Axis linear_axis(double lo, double hi, int target, bool from_zero) {
    if (from_zero) lo = std::min(lo, 0.0);
    if (hi <= lo) hi = lo + 1;
    Axis a{lo, hi, false, nice_ticks(lo, hi, target)};
    if (from_zero && !a.ticks.empty() && a.ticks.back() < hi) {  // the top tick covers the data
        const double step = a.ticks.size() > 1 ? a.ticks[1] - a.ticks[0] : hi;
        a.ticks.push_back(a.ticks.back() + step);
    }
    if (from_zero) a.hi = a.ticks.back();
    return a;
}

Axis log_axis(double lo, double hi) {
    Axis a{std::pow(10, std::floor(std::log10(lo))), std::pow(10, std::ceil(std::log10(hi))), true, {}};
    if (a.hi <= a.lo) a.hi = a.lo * 10;
    const bool few_decades = a.hi / a.lo <= 1000;
    for (double d = a.lo; d <= a.hi * 1.0001; d *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if ((m == 1.0 || few_decades) && d * m <= a.hi * 1.0001) a.ticks.push_back(d * m);
    return a;
}

std::string marker(size_t shape, double x, double y, const char* colour) {
    const std::string cx = coord(x), cy = coord(y);
    switch (shape % 4) {
        case 0: return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>", cx, cy, colour);
        case 1: return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"7\" height=\"7\" fill=\"{}\"/>", coord(x - 3.5),
                                   coord(y - 3.5), colour);
        case 2: return fmt::format("<path d=\"M{} {}l4.5 4.5l-4.5 4.5l-4.5 -4.5z\" fill=\"{}\"/>", cx, coord(y - 4.5),
                                   colour);
        default: return fmt::format("<path d=\"M{} {}l4.5 8l-9 0z\" fill=\"{}\"/>", cx, coord(y - 4.5), colour);
    }
}

struct Frame {
    double left, top, width, height;
    Axis x, y;
    double px(double v) const { return left + x.frac(v) * width; }
    double py(double v) const { return top + height - y.frac(v) * height; }
};

std::string axes(const Frame& f, const PlotOptions& o) {
    std::string out = "<g class=\"axis x\">\n";
    for (double t : f.x.ticks) {
        const double x = f.px(t);
        out += fmt::format("<g class=\"tick\" data-value=\"{}\"><line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" "
                           "y2=\"{}\" stroke=\"#e3e3e3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                           t, coord(x), f.top, coord(x), f.top + f.height, coord(x), f.top + f.height + 18,
                           tick_label(t));
    }
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", f.left, f.top + f.height,
                       f.left + f.width, f.top + f.height);
    out += fmt::format("<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\">{}</text>\n",
                       coord(f.left + f.width / 2), f.top + f.height + 44, xml_escape(o.x_label));
    out += "</g>\n<g class=\"axis y\">\n";
    for (double t : f.y.ticks) {
        const double y = f.py(t);
        out += fmt::format("<g class=\"tick\" data-value=\"{}\"><line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" "
                           "y2=\"{}\" stroke=\"#e3e3e3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></g>\n",
                           t, f.left, coord(y), f.left + f.width, coord(y), f.left - 8, coord(y + 4), tick_label(t));
    }
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", f.left, f.top, f.left,
                       f.top + f.height);
    const double mid = f.top + f.height / 2;
    out += fmt::format("<text class=\"label\" x=\"18\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" "
                       "transform=\"rotate(-90 18 {})\">{}{}</text>\n</g>\n",
                       coord(mid), coord(mid), xml_escape(o.y_label), f.y.log ? " (log scale)" : "");
    return out;
}

std::string series_group(const Frame& f, const Series& s, size_t index, bool log_y) {
    const char* colour = kColours[index % std::size(kColours)];
    std::vector<std::pair<double, double>> at;
    for (const auto& [x, y] : s.points)
        if (!log_y || y > 0) at.emplace_back(f.px(x), f.py(y));
    std::string points;
    for (const auto& [x, y] : at) points += (points.empty() ? "" : " ") + coord(x) + "," + coord(y);
    std::string out = fmt::format("<g class=\"series\" data-name=\"{}\">\n<polyline points=\"{}\" fill=\"none\" "
                                  "stroke=\"{}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n<g class=\"markers\">",
                                  xml_escape(s.name), points, colour);
    const size_t stride = (at.size() + kMaxMarkers - 1) / kMaxMarkers;
    for (size_t i = 0; i < at.size(); ++i)
        if (i % std::max<size_t>(stride, 1) == 0 || i + 1 == at.size())
            out += marker(index, at[i].first, at[i].second, colour);
    return out + "</g>\n</g>\n";
}

std::string legend(const Frame& f, const std::vector<Series>& series) {
    std::string out = "<g class=\"legend\">\n";
    const double x = f.left + f.width + 18;
    for (size_t i = 0; i < series.size(); ++i) {
        const double y = f.top + 10 + 22 * double(i);
        const char* colour = kColours[i % std::size(kColours)];
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>{}"
                           "<text x=\"{}\" y=\"{}\">{}</text>\n",
                           coord(x), coord(y), coord(x + 28), coord(y), colour, marker(i, x + 14, y, colour),
                           coord(x + 36), coord(y + 4), xml_escape(series[i].name));
    }
    return out + "</g>\n";
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (hi <= lo) return {lo};
    const double raw = (hi - lo) / std::max(target, 1);
    const double mag = std::pow(10, std::floor(std::log10(raw)));
    const double f = raw / mag;
    const double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    std::vector<double> out;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
        out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
    return out;
}

std::string tick_label(double v) {
    const double a = std::abs(v);
    if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
    if (a >= 1e3 && v == std::floor(v)) return (v < 0 ? "-" : "") + with_commas(uint64_t(a));
    return fmt::format("{:g}", v);
}

std::string svg_line_chart(const std::vector<Series>& series, const PlotOptions& o) {
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300, ypos = 1e300;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points) {
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
            if (y > 0) ypos = std::min(ypos, y);
        }
    if (x0 > x1) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    if (ypos > y1) ypos = 1, y1 = std::max(y1, 10.0);
    Frame f{kLeft, kTop, double(o.width - kLeft - kRight), double(o.height - kTop - kBottom),
            linear_axis(x0, x1, 8, false), o.log_y ? log_axis(ypos, y1) : linear_axis(y0, y1, 6, true)};
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\" fill=\"#222\">\n"
        "<title>{2}</title>\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text class=\"title\" x=\"{3}\" y=\"30\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{2}"
        "</text>\n",
        o.width, o.height, xml_escape(o.title), coord(o.width / 2.0));
    out += axes(f, o);
    for (size_t i = 0; i < series.size(); ++i) out += series_group(f, series[i], i, o.log_y);
    return out + legend(f, series) + "</svg>\n";
}

}  // namespace vethlab::analysis
