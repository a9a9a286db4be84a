// Least-squares fits of measured costs: known lines and parabolas come back, noise
// lowers R^2, and a mesh cost model splits namespaces from pairs.
#include <catch2/catch.hpp>

#include "analysis/cost_fit.hpp"

using namespace vethlab::analysis;

TEST_CASE("cost fit: a line through exact points", "[analysis][cost]") {
    const auto fit = fit_line({1, 2, 3, 4}, {5, 7, 9, 11});
    REQUIRE(fit);
    CHECK(fit->coef[0] == Approx(3.0));
    CHECK(fit->coef[1] == Approx(2.0));
    CHECK(fit->r2 == Approx(1.0));
    CHECK(fit->at({10}) == Approx(23.0));
}

TEST_CASE("cost fit: a parabola, and a line that does not fit it as well", "[analysis][cost]") {
    std::vector<double> x, y;
    for (int i = 0; i < 10; ++i) {
        x.push_back(i);
        y.push_back(1 + 0.5 * i + 3 * i * i);
    }
    const auto p = fit_parabola(x, y);
    REQUIRE(p);
    CHECK(p->coef[0] == Approx(1.0).margin(1e-6));
    CHECK(p->coef[1] == Approx(0.5).margin(1e-6));
    CHECK(p->coef[2] == Approx(3.0));
    CHECK(p->r2 == Approx(1.0));
    const auto l = fit_line(x, y);
    REQUIRE(l);
    CHECK(l->r2 < 0.97);
}

TEST_CASE("cost fit: noise lowers R^2, too few points give no fit", "[analysis][cost]") {
    const auto fit = fit_line({1, 2, 3, 4, 5, 6}, {1, 3, 2, 5, 4, 6});
    REQUIRE(fit);
    CHECK(fit->r2 > 0.5);
    CHECK(fit->r2 < 0.95);
    CHECK_FALSE(fit_line({1}, {1}));
    CHECK_FALSE(fit_line({2, 2, 2}, {1, 2, 3}));
    CHECK_FALSE(fit_parabola({1, 2}, {1, 2}));
}

TEST_CASE("cost fit: a mesh model separates the namespaces' cost from the pairs'", "[analysis][cost]") {
    std::vector<double> n, cost;
    for (int k = 2; k <= 8; ++k) {
        n.push_back(k);
        cost.push_back(50 + 136.0 * k + 108.0 * double(mesh_pairs(uint64_t(k))));
    }
    const auto m = fit_mesh_cost(n, cost);
    REQUIRE(m);
    CHECK(m->fixed == Approx(50.0).margin(1e-6));
    CHECK(m->per_namespace == Approx(136.0));
    CHECK(m->per_pair == Approx(108.0));
    CHECK(m->r2 == Approx(1.0));
    CHECK(m->at(400) == Approx(50 + 136.0 * 400 + 108.0 * 79800));
    const double budget = m->at(100);
    CHECK(m->max_n_within(budget) == 100);
    CHECK(m->max_n_within(budget - 1) == 99);
    CHECK(m->max_n_within(0) == 0);
}

TEST_CASE("cost fit: with the namespace cost known, the pairs take the rest", "[analysis][cost]") {
    std::vector<double> n, cost;
    for (int k = 4; k <= 40; k += 4) {
        n.push_back(k);
        cost.push_back(-800 + 130.0 * k + 104.0 * double(mesh_pairs(uint64_t(k))) + (k % 8 ? 40 : -40));
    }
    const auto m = fit_mesh_cost(n, cost, 130);
    REQUIRE(m);
    CHECK(m->per_namespace == 130);
    CHECK(m->per_pair == Approx(104.0).epsilon(0.01));
    CHECK(m->r2 > 0.999);
    CHECK(m->r2 < 1);
}

TEST_CASE("cost fit: a bridge model is a fixed part and a cost per host", "[analysis][cost]") {
    std::vector<double> n, cost;
    for (int k = 4; k <= 48; k += 4) {
        n.push_back(k);
        cost.push_back(300 + 255.0 * k + (k % 8 ? 30 : -30));
    }
    const auto m = fit_bridge_cost(n, cost);
    REQUIRE(m);
    CHECK(m->per_host == Approx(255.0).epsilon(0.01));
    CHECK(m->fixed == Approx(300.0).margin(40));
    CHECK(m->r2 > 0.999);
    CHECK(m->r2 < 1);
    CHECK(m->at(400) == Approx(m->fixed + m->per_host * 400));
    CHECK_FALSE(fit_bridge_cost({4}, {1000}));
}

TEST_CASE("cost fit: bridge times whose free fit falls with n go through the origin", "[analysis][cost]") {
    // The CI run of 880d655: bridges of 2..8 hosts all built in 7-21 ms, the free fit's
    // cost per host came out negative and n = 400 extrapolated to -0.06 s.
    const std::vector<double> n{2, 3, 4, 5, 6, 7, 8}, t{0.015, 0.013, 0.007, 0.010, 0.010, 0.011, 0.014};
    REQUIRE(fit_bridge_cost(n, t)->per_host < 0);
    const auto m = fit_bridge_time(n, t);
    REQUIRE(m);
    CHECK(m->fixed == 0);
    CHECK(m->per_host > 0);
    CHECK(m->at(400) > 0.5);  // about 2 ms a host
    // A fit that rises is kept as it is.
    const std::vector<double> rising{0.010, 0.012, 0.014, 0.016, 0.018, 0.020, 0.022};
    CHECK(fit_bridge_time(n, rising)->per_host == Approx(fit_bridge_cost(n, rising)->per_host));
    CHECK(fit_bridge_time(n, rising)->fixed == Approx(0.006));
}
