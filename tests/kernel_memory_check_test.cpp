// vethlab up refuses, before changing anything, a topology whose kernel memory (by the
// fitted cost per namespace and per pair) would pass 80% of MemAvailable.
#include <catch2/catch.hpp>

#include <fstream>

#include <fmt/format.h>

#include "backend_support.hpp"
#include "kernel_lab.hpp"

using vethlab::testing::KernelLab;
using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {
const std::string kCli = VETHLAB_CLI;
}

TEST_CASE("kernel: up refuses a topology that would not fit in memory, --force builds it", "[kernel][up][memory]") {
    if (auto why = vethlab::testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    KernelLab lab;
    TempDir state;
    const std::string up = fmt::format("{} up '{}' --prefix {} --state-dir '{}'", kCli,
                                       vethlab::testing::example("seed.sh"), lab.prefix(), state.path());
    // A model by which one pair costs 1 TiB (as if measured on a tiny machine); the
    // seed has a pair and two taps (half a pair each).
    std::ofstream(state.path() + "/cost-model.json") << R"({"per_namespace_kib": 1000, "per_pair_kib": 1073741824})";
    auto r = run_shell(up);
    CHECK(r.status == 1);
    CHECK(r.err.rfind("vethlab up: the topology needs about 2048.0 GiB of kernel memory (2 namespaces, 1 veth pair at "
                      "1000 and 1073741824 KiB each, by the model in " +
                          state.path() + "/cost-model.json), more than 80% of the ",
                      0) == 0);
    CHECK(r.err.find("nothing was changed (--force builds it anyway)\n") != std::string::npos);
    CHECK(lab.namespaces().empty());
    CHECK(run_shell("ls '" + state.path() + "'").out == "cost-model.json\n");

    r = run_shell(up + " --force");
    CHECK(r.status == 0);
    CHECK(lab.namespaces().size() == 2);
    CHECK(run_shell(fmt::format("{} down --name seed --state-dir '{}'", kCli, state.path())).status == 0);

    // With the figures measured here, the seed fits.
    std::remove((state.path() + "/cost-model.json").c_str());
    CHECK(run_shell(up).status == 0);
    CHECK(run_shell(fmt::format("{} down --name seed --state-dir '{}'", kCli, state.path())).status == 0);
    CHECK(lab.namespaces().empty());
}
