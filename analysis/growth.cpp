#include "analysis/growth.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace vethlab::analysis {

size_t GrowthTable::column(const std::string& key) const {
    const auto it = std::find(columns.begin(), columns.end(), key);
    if (it == columns.end()) throw std::out_of_range("no column " + key);
    return size_t(it - columns.begin());
}

void GrowthTable::add_column(const std::string& key, const std::vector<double>& values) {
    if (values.size() != rows.size()) throw std::invalid_argument("column " + key + " has the wrong length");
    columns.push_back(key);
    for (size_t i = 0; i < rows.size(); ++i) rows[i].push_back(values[i]);
}

GrowthTable link_growth(uint64_t min, uint64_t max) {
    GrowthTable t;
    t.columns.push_back("n");
    for (Shape s : kGrowthShapes)
        for (const char* what : {"pairs", "interfaces", "addresses"})
            t.columns.push_back(fmt::format("{}_{}", to_string(s), what));
    for (uint64_t n = min; n <= max; ++n) {
        std::vector<double> row{double(n)};
        for (Shape s : kGrowthShapes) {
            const LinkCounts c = link_counts(s, n);
            row.insert(row.end(), {double(c.veth_pairs), double(c.interfaces), double(c.addresses)});
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

namespace {

// The closed form of `what` for a shape, for the chart's legend.
std::string formula(Shape s, const std::string& what) {
    const bool pairs = what == "pairs", addresses = what == "addresses";
    switch (s) {
        case Shape::mesh: return pairs ? "n(n-1)/2" : "n(n-1)";
        case Shape::bridge: return pairs || addresses ? "n" : "2n+1";
        case Shape::ring: return pairs ? "n" : "2n";
        case Shape::line:
        case Shape::star: return pairs ? "n-1" : "2(n-1)";
    }
    return "";
}

}  // namespace

std::vector<Series> growth_series(const GrowthTable& table, const std::string& what) {
    std::vector<Series> out;
    std::vector<std::string> names;
    const size_t n = table.column("n");
    for (Shape s : kGrowthShapes) {
        const size_t col = table.column(fmt::format("{}_{}", to_string(s), what));
        Series series{"", {}};
        for (const auto& row : table.rows) series.points.emplace_back(row[n], row[col]);
        const std::string name = s == Shape::mesh ? "full mesh" : std::string(to_string(s));
        // Shapes with the same numbers share one line ("line = star"): one would hide the other.
        auto same = std::find_if(out.begin(), out.end(), [&](const Series& o) { return o.points == series.points; });
        if (same != out.end()) {
            names[size_t(same - out.begin())] += " = " + name;
            continue;
        }
        names.push_back(name);
        series.name = formula(s, what);
        out.push_back(std::move(series));
    }
    for (size_t i = 0; i < out.size(); ++i) out[i].name = names[i] + ": " + out[i].name;
    return out;
}

std::string growth_csv(const GrowthTable& table) {
    std::string out;
    for (size_t i = 0; i < table.columns.size(); ++i) out += (i ? "," : "") + table.columns[i];
    out += "\n";
    for (const auto& row : table.rows) {
        for (size_t i = 0; i < row.size(); ++i) out += fmt::format("{}{}", i ? "," : "", row[i]);
        out += "\n";
    }
    return out;
}

}  // namespace vethlab::analysis
