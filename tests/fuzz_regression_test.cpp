// Every input the fuzzers once failed on (tests/fuzz/regressions/<target>-<what>), run
// through the same entry point as the fuzz target (tests/fuzz/entry_points.hpp) in every
// normal build; plus what each of them must now answer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/entry_points.hpp"

using namespace vethlab;
namespace fs = std::filesystem;

namespace {

const fs::path kRegressions = fs::path(VETHLAB_SOURCE_DIR) / "tests" / "fuzz" / "regressions";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string regression(const std::string& name) { return read_file(kRegressions / name); }

std::string errors_of(const Parsed& p) {
    std::string out;
    for (const auto& d : p.errors) out += d.str() + "\n";
    return out;
}

}  // namespace

TEST_CASE("every fuzz regression input passes its target's entry point", "[fuzz]") {
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(kRegressions)) {
        const std::string name = entry.path().filename().string();
        const std::string text = read_file(entry.path());
        INFO(name);
        int r = 0;
        if (name.starts_with("fuzz_yaml-")) r = fuzz::yaml(text);
        else if (name.starts_with("fuzz_ip_script-")) r = fuzz::ip_script(text);
        else if (name.starts_with("fuzz_values-")) r = fuzz::values(text);
        else if (name.starts_with("fuzz_sim-")) r = fuzz::sim(text);
        else FAIL("a regression input's name must start with its target, e.g. fuzz_yaml-");
        CHECK(r <= 0);
        ++seen;
    }
    CHECK(seen > 0);
}

TEST_CASE("fuzz_yaml: a lone ',' is one error, not an endless loop in yaml-cpp's LoadAll", "[fuzz]") {
    const Parsed p = parse_yaml_topology(regression("fuzz_yaml-lone-comma"), "t.yaml");
    CHECK(errors_of(p) == "t.yaml:1:1: unexpected ',': not a YAML value\n");
}
