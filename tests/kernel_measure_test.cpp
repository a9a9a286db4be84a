// vethlab mesh --measure on the real kernel for small meshes (n = 2..8): every mesh is
// built and torn down under the run's own prefix, and the fitted costs are sane --
// positive, growing with n. Tagged [measure]: ctest runs these alone (RUN_SERIAL).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "backend_support.hpp"
#include "kernel_lab.hpp"
#include "xml_doc.hpp"

using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {
const std::string kCli = VETHLAB_CLI;
}

TEST_CASE("kernel: mesh --measure fits positive, growing costs for n = 2..8", "[kernel][measure]") {
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
    // The chart holds the measured points and the fit.
    const auto doc = vethlab::testing::parse_xml(vethlab::testing::read_text_file(svg));
    REQUIRE(doc.error.empty());
    const auto series = doc.root->find_all("g", "series");
    REQUIRE(series.size() == 2);
    CHECK(series[0]->attr("data-name") == "measured (median)");
    CHECK(series[1]->attr("data-name").rfind("fit:", 0) == 0);
}
