// vethlab mesh: the measured charts need --measure, and --measure draws only them.
#include <catch2/catch.hpp>

#include "backend_support.hpp"
#include "shell.hpp"

using vethlab::testing::run_shell;
using vethlab::testing::TempDir;

namespace {
const std::string kCli = VETHLAB_CLI;
}

TEST_CASE("cli: mesh --plot memory needs --measure, --measure plots no counts", "[cli][mesh]") {
    TempDir dir;
    const std::string svg = dir.path() + "/x.svg";
    auto r = run_shell(kCli + " mesh --max 5 --plot memory --svg " + svg);
    CHECK(r.status == 2);
    CHECK(r.err == "vethlab mesh: --plot memory needs --measure\n");
    r = run_shell(kCli + " mesh --measure --max 5 --plot pairs --svg " + svg);
    CHECK(r.status == 2);
    CHECK(r.err == "vethlab mesh: --plot pairs is a count: with --measure, plot memory, build or teardown\n");
    r = run_shell(kCli + " mesh --measure --repeat 0");
    CHECK(r.status == 2);
    CHECK(run_shell("ls '" + dir.path() + "'").out.empty());
}
