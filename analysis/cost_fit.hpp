#pragma once
// Least-squares fits for measured costs: a line, a parabola, and the cost model of a
// full mesh -- a fixed part, a cost per namespace and a cost per veth pair -- and of a
// bridge -- a fixed part and a cost per host -- with how well each explains the
// measurements (R^2), and what the model says for a larger n.
#include <cstdint>
#include <optional>
#include <vector>

namespace vethlab::analysis {

// y = c[0] + c[1]*x1 + c[2]*x2 ... for each row of features (x1, x2, ...).
struct Fit {
    std::vector<double> coef;
    double r2 = 0;  // 1 - SS_res / SS_tot; 1 when every y is the same and matched
    double at(const std::vector<double>& features) const;
};

// Ordinary least squares with an intercept; nullopt when the features cannot separate
// the coefficients (fewer distinct points than coefficients, collinear features).
std::optional<Fit> least_squares(const std::vector<std::vector<double>>& features, const std::vector<double>& y);

std::optional<Fit> fit_line(const std::vector<double>& x, const std::vector<double>& y);       // c0 + c1 x
std::optional<Fit> fit_parabola(const std::vector<double>& x, const std::vector<double>& y);   // c0 + c1 x + c2 x^2

inline constexpr uint64_t mesh_pairs(uint64_t n) { return n * (n - 1) / 2; }

// cost(n) = fixed + per_namespace * n + per_pair * n(n-1)/2, fitted on (n, cost) rows.
struct MeshCostModel {
    double fixed = 0, per_namespace = 0, per_pair = 0;
    double r2 = 0;
    double at(uint64_t n) const { return fixed + per_namespace * double(n) + per_pair * double(mesh_pairs(n)); }
    // Largest n whose cost stays within budget (0 if not even n = 1 does).
    uint64_t max_n_within(double budget) const;
};
std::optional<MeshCostModel> fit_mesh_cost(const std::vector<double>& n, const std::vector<double>& cost);
// The same with the cost per namespace known (measured on namespaces alone): fits the
// fixed part and the cost per pair; R^2 of the whole model against `cost`.
std::optional<MeshCostModel> fit_mesh_cost(const std::vector<double>& n, const std::vector<double>& cost,
                                           double per_namespace);

// cost(n) = fixed + per_host * n: a bridge with n hosts, each a namespace with one veth
// pair whose other end is a port of the bridge (the bridge's own namespace and device
// are in the fixed part).
struct BridgeCostModel {
    double fixed = 0, per_host = 0;
    double r2 = 0;
    double at(uint64_t n) const { return fixed + per_host * double(n); }
};
std::optional<BridgeCostModel> fit_bridge_cost(const std::vector<double>& n, const std::vector<double>& cost);
// For times, which scatter on a shared machine: where the free fit over small n gives a
// negative cost per host (a bridge builds in about the same 10 ms for n = 2..8), the
// time is taken as per_host * n through the origin, so no extrapolation goes negative.
std::optional<BridgeCostModel> fit_bridge_time(const std::vector<double>& n, const std::vector<double>& t);

}  // namespace vethlab::analysis
