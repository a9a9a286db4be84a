#include "analysis/cost_fit.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace vethlab::analysis {
namespace {

// Solves a * x = b by Gaussian elimination with partial pivoting; nullopt if singular.
std::optional<std::vector<double>> solve(std::vector<std::vector<double>> a, std::vector<double> b) {
    const size_t k = b.size();
    double scale = 0;
    for (const auto& row : a)
        for (double v : row) scale = std::max(scale, std::abs(v));
    for (size_t col = 0; col < k; ++col) {
        size_t pivot = col;
        for (size_t r = col + 1; r < k; ++r)
            if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
        if (std::abs(a[pivot][col]) <= 1e-12 * scale) return std::nullopt;
        std::swap(a[col], a[pivot]);
        std::swap(b[col], b[pivot]);
        for (size_t r = col + 1; r < k; ++r) {
            const double f = a[r][col] / a[col][col];
            for (size_t c = col; c < k; ++c) a[r][c] -= f * a[col][c];
            b[r] -= f * b[col];
        }
    }
    std::vector<double> x(k);
    for (size_t i = k; i-- > 0;) {
        double s = b[i];
        for (size_t c = i + 1; c < k; ++c) s -= a[i][c] * x[c];
        x[i] = s / a[i][i];
    }
    return x;
}

}  // namespace

double Fit::at(const std::vector<double>& features) const {
    double y = coef.empty() ? 0 : coef[0];
    for (size_t i = 0; i < features.size() && i + 1 < coef.size(); ++i) y += coef[i + 1] * features[i];
    return y;
}

std::optional<Fit> least_squares(const std::vector<std::vector<double>>& features, const std::vector<double>& y) {
    if (features.size() != y.size() || y.empty()) return std::nullopt;
    const size_t k = features.front().size() + 1;
    std::set<std::vector<double>> distinct(features.begin(), features.end());
    if (distinct.size() < k) return std::nullopt;
    // Normal equations (X^T X) c = X^T y with a leading column of ones.
    std::vector<std::vector<double>> xtx(k, std::vector<double>(k, 0));
    std::vector<double> xty(k, 0);
    for (size_t r = 0; r < y.size(); ++r) {
        if (features[r].size() + 1 != k) return std::nullopt;
        std::vector<double> row{1};
        row.insert(row.end(), features[r].begin(), features[r].end());
        for (size_t i = 0; i < k; ++i) {
            xty[i] += row[i] * y[r];
            for (size_t j = 0; j < k; ++j) xtx[i][j] += row[i] * row[j];
        }
    }
    auto coef = solve(xtx, xty);
    if (!coef) return std::nullopt;
    Fit fit{*coef, 0};
    double mean = 0;
    for (double v : y) mean += v;
    mean /= double(y.size());
    double ss_res = 0, ss_tot = 0;
    for (size_t r = 0; r < y.size(); ++r) {
        ss_res += std::pow(y[r] - fit.at(features[r]), 2);
        ss_tot += std::pow(y[r] - mean, 2);
    }
    fit.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : (ss_res <= 1e-12 ? 1 : 0);
    return fit;
}

std::optional<Fit> fit_line(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<std::vector<double>> f;
    for (double v : x) f.push_back({v});
    return least_squares(f, y);
}

std::optional<Fit> fit_parabola(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<std::vector<double>> f;
    for (double v : x) f.push_back({v, v * v});
    return least_squares(f, y);
}

uint64_t MeshCostModel::max_n_within(double budget) const {
    // The cost grows with n once per_pair > 0; walk up (n stays small: a mesh of 10^5
    // namespaces is far past any machine).
    uint64_t best = 0;
    for (uint64_t n = 1; n <= 100000; ++n) {
        if (at(n) > budget) {
            if (per_pair > 0 || per_namespace > 0) break;
            continue;
        }
        best = n;
    }
    return best;
}

std::optional<MeshCostModel> fit_mesh_cost(const std::vector<double>& n, const std::vector<double>& cost) {
    std::vector<std::vector<double>> f;
    for (double v : n) f.push_back({v, v * (v - 1) / 2});
    auto fit = least_squares(f, cost);
    if (!fit) return std::nullopt;
    return MeshCostModel{fit->coef[0], fit->coef[1], fit->coef[2], fit->r2};
}

// R^2 of a model fitted with some coefficients fixed (the least squares' own R^2 is not it).
template <class Model>
double r_squared(const Model& m, const std::vector<double>& n, const std::vector<double>& cost) {
    double mean = 0, ss_res = 0, ss_tot = 0;
    for (double c : cost) mean += c / double(cost.size());
    for (size_t i = 0; i < n.size(); ++i) {
        ss_res += std::pow(cost[i] - m.at(uint64_t(n[i])), 2);
        ss_tot += std::pow(cost[i] - mean, 2);
    }
    return ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
}

std::optional<MeshCostModel> fit_mesh_cost(const std::vector<double>& n, const std::vector<double>& cost,
                                           double per_namespace) {
    if (n.size() != cost.size()) return std::nullopt;
    std::vector<double> pairs, rest;
    for (size_t i = 0; i < n.size(); ++i) {
        pairs.push_back(n[i] * (n[i] - 1) / 2);
        rest.push_back(cost[i] - per_namespace * n[i]);
    }
    auto line = fit_line(pairs, rest);
    if (!line) return std::nullopt;
    MeshCostModel m{line->coef[0], per_namespace, line->coef[1], 0};
    m.r2 = r_squared(m, n, cost);
    return m;
}

std::optional<BridgeCostModel> fit_bridge_cost(const std::vector<double>& n, const std::vector<double>& cost) {
    auto line = fit_line(n, cost);
    if (!line) return std::nullopt;
    return BridgeCostModel{line->coef[0], line->coef[1], line->r2};
}

std::optional<BridgeCostModel> fit_bridge_time(const std::vector<double>& n, const std::vector<double>& t) {
    auto fit = fit_bridge_cost(n, t);
    if (!fit || fit->per_host >= 0) return fit;
    double nt = 0, nn = 0;
    for (size_t i = 0; i < n.size(); ++i) nt += n[i] * t[i], nn += n[i] * n[i];
    BridgeCostModel m{0, nn > 0 ? std::max(0.0, nt / nn) : 0, 0};
    m.r2 = r_squared(m, n, t);
    return m;
}

}  // namespace vethlab::analysis
