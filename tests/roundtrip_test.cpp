// Property: a seeded random topology survives export -> import unchanged, through the
// ip-script form and through the YAML form.
#include <catch2/catch.hpp>

#include "model/ip_script.hpp"
#include "model/ip_writer.hpp"
#include "model/yaml_reader.hpp"
#include "model/yaml_writer.hpp"
#include "random_topology.hpp"

using namespace vethlab;

namespace {

NetState state_of(const Topology& t) {
    Applied applied = apply_all(t);
    INFO((applied.errors.empty() ? std::string() : applied.errors.front().str()));
    CHECK(applied.errors.empty());
    return applied.state;
}

}  // namespace

TEST_CASE("property: random topologies survive ip export -> import", "[roundtrip]") {
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        Topology topo = testing::random_topology(seed);
        const std::string script = write_ip_script(topo.edits, "random topology");
        INFO("seed " << seed << "\n" << script);
        Parsed back = parse_ip_script(script, "random.sh");
        REQUIRE(back.ok());
        REQUIRE(back.topology.edits.size() == topo.edits.size());
        for (size_t i = 0; i < topo.edits.size(); ++i) CHECK(back.topology.edits[i].op == topo.edits[i].op);
        CHECK(testing::state_difference(state_of(topo), state_of(back.topology)) == "");
    }
}

TEST_CASE("property: random topologies survive YAML export -> import", "[roundtrip]") {
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        Topology topo = testing::random_topology(seed);
        const std::string yaml = write_yaml_topology(topo);
        INFO("seed " << seed << "\n" << yaml);
        Parsed back = parse_yaml_topology(yaml, "random.yaml");
        INFO((back.ok() ? std::string() : back.errors.front().str()));
        REQUIRE(back.ok());
        CHECK(testing::state_difference(state_of(topo), state_of(back.topology)) == "");
        CHECK(write_yaml_topology(back.topology) == yaml);
    }
}
