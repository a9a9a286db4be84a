// run_probes sends big probe sets in waves and, for `reach`, stops a wave once every
// probe of it has its outcome: neither may change an outcome.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model/ip_script.hpp"
#include "random_topology.hpp"
#include "sim/reach.hpp"

using namespace vethlab;

namespace {

std::vector<std::string> outcomes(const NetState& st, sim::Time timeout, sim::Wait wait, size_t wave) {
    sim::Kernel kernel(st);
    std::vector<std::string> out;
    for (const auto& r : sim::run_probes(kernel, sim::all_pairs(st), timeout, wait, wave))
        out.push_back(r.probe.ns + " -> " + r.probe.dst.str() + ": " + std::string(sim::to_string(r.outcome)) + " " +
                      r.detail);
    return out;
}

}  // namespace

TEST_CASE("reach: outcomes do not depend on waves or on stopping once answered", "[sim][reach]") {
    int probes = 0, unanswered = 0;
    for (uint64_t seed = 1; seed <= 400; ++seed) {
        const Topology topo = testing::random_topology(seed);
        Applied applied = apply_all(topo);
        const NetState& st = applied.state;
        INFO("seed " << seed);
        const auto all_at_once = outcomes(st, 4 * sim::kSecond, sim::Wait::timeout, sim::kProbeWave);
        CHECK(outcomes(st, 4 * sim::kSecond, sim::Wait::answers, sim::kProbeWave) == all_at_once);
        CHECK(outcomes(st, 4 * sim::kSecond, sim::Wait::answers, sim::kReachWave) == all_at_once);  // `reach`
        CHECK(outcomes(st, 4 * sim::kSecond, sim::Wait::answers, 1) == all_at_once);
        CHECK(outcomes(st, 4 * sim::kSecond, sim::Wait::timeout, 3) == all_at_once);
        probes += int(all_at_once.size());
        for (const auto& o : all_at_once) unanswered += o.find(": reply") == std::string::npos;
    }
    CHECK(probes > 1000);
    CHECK(unanswered > 100);  // failures were compared too, not only replies
}

TEST_CASE("reach: a probe from a namespace that does not exist cannot connect, the others go on", "[sim][reach]") {
    const Parsed parsed = parse_ip_script("ip netns add a\nip -n a link set lo up\n", "t.sh");
    REQUIRE(parsed.ok());
    const Applied applied = apply_all(parsed.topology);
    sim::Kernel kernel(applied.state);
    const Ipv4 lo(0x7f000001);
    const std::vector<sim::Probe> probes{{"a", lo, "a:lo"}, {"ghost", lo, "a:lo"}, {"ghost", lo, "a:lo"}, {"a", lo, "a:lo"}};
    const auto results = sim::run_probes(kernel, probes, sim::kSecond, sim::Wait::answers);
    REQUIRE(results.size() == 4);
    CHECK(results[0].outcome == sim::Outcome::reply);
    for (size_t i : {1, 2}) {
        CHECK(results[i].outcome == sim::Outcome::no_route);
        CHECK(results[i].detail == "No such namespace");
    }
    CHECK(results[3].outcome == sim::Outcome::reply);
}
