// vethlab mesh --measure on the real kernel for small meshes and bridges (n = 2..8):
// every topology is built and torn down under the run's own prefix, and the fitted costs
// are sane -- positive, growing with n -- for the mesh and for the bridge. Tagged [measure]: ctest runs these alone (RUN_SERIAL).
#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "xml_doc.hpp"

using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {
const std::string kCli = VETHLAB_CLI;
}

TEST_CASE("kernel: mesh --measure fits positive, growing costs for n = 2..8, mesh and bridge", "[kernel][measure]") {
    if (auto why = vethlab::testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    TempDir state;
    const std::string svg = state.path() + "/memory.svg";
    const auto r = run_shell(kCli + " mesh --measure --min 2 --max 8 --repeat 2 --json --plot memory --svg '" + svg +
                             "' --state-dir '" + state.path() + "'");
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["rows"].size() == 7);
    for (size_t i = 0; i < 7; ++i) {
        const auto& row = j["rows"][i];
        CHECK(row["n"] == i + 2);
        CHECK(row["pairs"] == (i + 2) * (i + 1) / 2);
        CHECK(row["build_s"].get<double>() > 0);
        CHECK(row["teardown_s"].get<double>() > 0);
    }
    // Kernel memory: the biggest mesh costs more than the smallest, every pair costs
    // something, and the model grows with n. (A mesh of 2 or 3 may show no increase at
    // all: its objects fit in slab pages the previous teardown left free.)
    CHECK(j["rows"][6]["kernel_kib"].get<double>() > j["rows"][0]["kernel_kib"].get<double>());
    const auto& mem = j["memory_kib"];
    CHECK(mem["per_pair"].get<double>() > 0);
    CHECK(mem["per_pair"].get<double>() + mem["per_namespace"].get<double>() > 0);
    const auto& ex = j["extrapolated"];
    CHECK(ex["n"] == 400);
    CHECK(ex["pairs"] == 79800);
    CHECK(ex["kernel_kib"].get<double>() > j["rows"][6]["kernel_kib"].get<double>());
    CHECK(ex["build_s"].get<double>() > j["rows"][6]["build_s"].get<double>() * 0.5);
    CHECK(j["build_s"]["per_pair"].get<double>() + j["build_s"]["per_namespace"].get<double>() > 0);
    CHECK(j["max_n_in_80pct_available"].get<uint64_t>() > 8);
    // Nothing left: no namespace of the run, no journal.
    CHECK(run_shell("ip netns list | grep -c '^vlm'").out == "0\n");
    // Too small a range to keep the model for `up`.
    CHECK(run_shell("ls '" + state.path() + "' | grep -v lock").out == "memory.svg\n");
    CHECK(r.err.find("memory model not kept for `vethlab up`: measure up to n >= 16 to keep it\n") != std::string::npos);
    // The bridges of the same n: one pair per host, a positive cost per host (so the
    // model grows with n), and n = 400 costs far less than the mesh.
    const auto& br = j["bridge"];
    REQUIRE(br["rows"].size() == 7);
    for (size_t i = 0; i < 7; ++i) {
        const auto& row = br["rows"][i];
        CHECK(row["n"] == i + 2);
        CHECK(row["pairs"] == i + 2);
        CHECK(row["build_s"].get<double>() > 0);
        CHECK(row["teardown_s"].get<double>() > 0);
    }
    CHECK(br["rows"][6]["kernel_kib"].get<double>() > br["rows"][0]["kernel_kib"].get<double>());
    CHECK(br["memory_kib"]["per_host"].get<double>() > 0);
    CHECK(br["build_s"]["per_host"].get<double>() > 0);
    const auto& bex = br["extrapolated"];
    CHECK(bex["n"] == 400);
    CHECK(bex["pairs"] == 400);
    CHECK(bex["kernel_kib"].get<double>() > br["rows"][6]["kernel_kib"].get<double>());
    CHECK(bex["kernel_kib"].get<double>() < ex["kernel_kib"].get<double>());
    CHECK(bex["build_s"].get<double>() > br["rows"][6]["build_s"].get<double>() * 0.5);
    // The chart holds four series -- measured and fitted, mesh and bridge -- and each
    // point, mapped back through the axes' ticks, is the measured median or the model at n.
    const auto doc = vethlab::testing::parse_xml(vethlab::testing::read_text_file(svg));
    REQUIRE(doc.error.empty());
    const auto series = doc.root->find_all("g", "series");
    REQUIRE(series.size() == 4);
    CHECK(series[0]->attr("data-name") == "full mesh: measured (median)");
    CHECK(series[1]->attr("data-name").rfind("full mesh fit:", 0) == 0);
    CHECK(series[2]->attr("data-name") == "bridge: measured (median)");
    CHECK(series[3]->attr("data-name").rfind("bridge fit:", 0) == 0);
    const auto x = vethlab::testing::axis_map(*doc.root, "x", false);
    const auto y = vethlab::testing::axis_map(*doc.root, "y", false);
    const double mib_per_px = std::abs((y.v1 - y.v0) / (y.p1 - y.p0));
    auto check_points = [&](const vethlab::testing::XmlNode& g, const nlohmann::json& rows, auto expected) {
        const auto points = vethlab::testing::polyline_points(g);
        REQUIRE(points.size() == rows.size());
        for (size_t i = 0; i < points.size(); ++i) {
            CHECK(x.value(points[i].first) == Approx(rows[i]["n"].get<double>()).margin(0.05));
            CHECK(y.value(points[i].second) == Approx(expected(rows[i])).margin(mib_per_px));
        }
    };
    auto measured = [](const nlohmann::json& row) { return row["kernel_kib"].get<double>() / 1024; };
    auto model = [](const nlohmann::json& fit, bool bridge) {
        return [&fit, bridge](const nlohmann::json& row) {
            const double n = row["n"].get<double>();
            return (fit["fixed"].get<double>() +
                    (bridge ? fit["per_host"].get<double>() * n
                            : fit["per_namespace"].get<double>() * n + fit["per_pair"].get<double>() * n * (n - 1) / 2)) /
                   1024;
        };
    };
    check_points(*series[0], j["rows"], measured);
    check_points(*series[1], j["rows"], model(mem, false));
    check_points(*series[2], br["rows"], measured);
    check_points(*series[3], br["rows"], model(br["memory_kib"], true));
}
