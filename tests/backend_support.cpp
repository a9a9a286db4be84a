#include "backend_support.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

namespace vethlab::testing {

TempDir::TempDir() {
    char tmpl[] = "/tmp/vethlab-test-XXXXXX";
    const char* made = mkdtemp(tmpl);
    REQUIRE(made != nullptr);
    path_ = made;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Topology topology_from(const std::string& file_name, const std::string& text) {
    TempDir dir;
    const std::string path = dir.path() + "/" + file_name;
    std::ofstream(path) << text;
    Parsed parsed = load_topology(path);
    std::string problems;
    for (const auto& e : parsed.errors) problems += e.str() + "\n";
    INFO(problems);
    REQUIRE(parsed.ok());
    Applied applied = apply_all(parsed.topology);
    for (const auto& e : applied.errors) problems += e.str() + "\n";
    INFO(problems);
    REQUIRE(applied.errors.empty());
    parsed.topology.file = file_name;
    for (auto& e : parsed.topology.edits) e.loc.file = file_name;
    return parsed.topology;
}

std::string example(const std::string& name) { return std::string(VETHLAB_SOURCE_DIR) + "/examples/" + name; }

}  // namespace vethlab::testing
