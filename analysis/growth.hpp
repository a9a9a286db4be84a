#pragma once
// How the link counts of each shape grow with n: a table with one row per n and named
// numeric columns ("n", "mesh_pairs", "mesh_interfaces", "mesh_addresses", ...), so a
// measured mode can append its own columns (build time, kernel memory) to the same rows.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/link_counts.hpp"
#include "analysis/svg_plot.hpp"

namespace vethlab::analysis {

struct GrowthTable {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;  // one value per column

    size_t column(const std::string& key) const;  // index; throws std::out_of_range if absent
    void add_column(const std::string& key, const std::vector<double>& values);  // one per row
};

inline constexpr Shape kGrowthShapes[] = {Shape::mesh, Shape::bridge, Shape::ring, Shape::line, Shape::star};

// n = min..max: for every shape its veth pairs, interfaces and addresses (closed forms).
GrowthTable link_growth(uint64_t min, uint64_t max);

// One series per shape of `what` ("pairs", "interfaces" or "addresses") against n, named
// with its closed form ("full mesh: n(n-1)/2"); shapes with the same numbers share a series
// ("line = star: n-1").
std::vector<Series> growth_series(const GrowthTable& table, const std::string& what);

std::string growth_csv(const GrowthTable& table);

}  // namespace vethlab::analysis
