// A YAML topology's addresses and link ups are compiled namespace by namespace
// (docs/topology-format.md). That order is only sound if those edits change nothing
// outside their own namespace: then any order that keeps each namespace's own order --
// veth by veth, as before, or a random one -- builds the same state. Checked here on the
// model over random topologies, and on the kernel, which is the oracle.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "kernel_lab.hpp"
#include "kernel_state.hpp"
#include "model/netstate.hpp"
#include "model/yaml_reader.hpp"
#include "model/yaml_writer.hpp"
#include "random_topology.hpp"

using namespace vethlab;
using vethlab::testing::KernelLab;

namespace {

struct Compiled {
    std::string yaml;
    std::vector<Edit> edits;
};

// A random topology as YAML, and what that YAML compiles to.
Compiled compiled(uint64_t seed) {
    Compiled c;
    c.yaml = write_yaml_topology(testing::random_topology(seed));
    Parsed p = parse_yaml_topology(c.yaml, "random.yaml");
    INFO(c.yaml << (p.ok() ? std::string() : p.errors.front().str()));
    REQUIRE(p.ok());
    c.edits = std::move(p.topology.edits);
    for (auto& e : c.edits) e.op = testing::host_free(std::move(e.op));  // a lab runs nothing in the host
    return c;
}

bool only_up(const LinkSet& s) {
    return s.up && *s.up && !s.master && !s.netns && !s.new_name && !s.mtu && !s.mac;
}

// The namespace of an edit of the address or the link-state pass; "" for any other edit
// (the steps, which the writer puts after `steps:`, are not part of either pass).
std::string pass_ns(const Edit& e, int first_step_line, int pass) {
    if (e.loc.line >= first_step_line) return "";
    if (const auto* a = std::get_if<AddrAdd>(&e.op); a && pass == 0) return a->ns;
    if (const auto* s = std::get_if<LinkSet>(&e.op); s && pass == 1 && only_up(*s)) return s->ns;
    return "";
}

// Reorders the edits of both passes at random across namespaces, each namespace's own
// edits in their order. Returns how many edits changed place.
size_t shuffle_across_namespaces(const Compiled& c, std::vector<Edit>& edits, std::mt19937_64& rng) {
    const auto steps_at = c.yaml.find("\nsteps:");
    int first_step_line = 1 << 30;
    if (steps_at != std::string::npos)
        first_step_line = int(std::count(c.yaml.begin(), c.yaml.begin() + long(steps_at), '\n')) + 2;
    edits = c.edits;
    size_t moved = 0;
    for (int pass = 0; pass < 2; ++pass) {
        std::vector<size_t> at;  // the pass's places, in order
        std::map<std::string, std::vector<size_t>> queue;  // namespace -> its edits, in order
        for (size_t i = 0; i < c.edits.size(); ++i)
            if (auto ns = pass_ns(c.edits[i], first_step_line, pass); !ns.empty()) {
                at.push_back(i);
                queue[ns].push_back(i);
            }
        // The pass is one run of edits (the canonical order).
        if (!at.empty()) REQUIRE(at.back() - at.front() + 1 == at.size());
        std::map<std::string, size_t> taken;
        for (size_t k = 0; k < at.size(); ++k) {
            std::vector<const std::string*> left;
            for (const auto& [ns, q] : queue)
                if (taken[ns] < q.size()) left.push_back(&ns);
            const std::string& ns = *left[std::uniform_int_distribution<size_t>(0, left.size() - 1)(rng)];
            const size_t from = queue[ns][taken[ns]++];
            edits[at[k]] = c.edits[from];
            moved += from != at[k];
        }
    }
    return moved;
}

// Each edit's refusal (by its place in the file), and the state built.
std::pair<std::map<std::pair<int, int>, std::string>, NetState> applied(const std::vector<Edit>& edits) {
    std::pair<std::map<std::pair<int, int>, std::string>, NetState> out;
    for (const auto& e : edits)
        if (!e.is_observation())
            if (auto err = out.second.apply(e.op)) out.first[{e.loc.line, e.loc.col}] = *err;
    return out;
}

}  // namespace

TEST_CASE("property: a YAML file's addresses and link ups build the same state in any order across namespaces",
          "[yaml]") {
    std::mt19937_64 rng(7);
    size_t moved = 0;
    for (uint64_t seed = 1; seed <= 300; ++seed) {
        const Compiled c = compiled(seed);
        const auto canonical = applied(c.edits);
        for (int round = 0; round < 3; ++round) {
            std::vector<Edit> other;
            moved += shuffle_across_namespaces(c, other, rng);
            INFO("seed " << seed << "\n" << c.yaml);
            const auto reordered = applied(other);
            CHECK(reordered.first == canonical.first);
            CHECK(testing::state_difference(canonical.second, reordered.second) == "");
        }
    }
    CHECK(moved > 1000);  // the property was put to the test
}

TEST_CASE("kernel: a YAML file's addresses and link ups build the same namespaces in any order across namespaces",
          "[kernel][yaml]") {
    if (auto why = testing::kernel_unavailable()) {
        WARN(*why);
        return;
    }
    std::mt19937_64 rng(11);
    const bool has_dummy = testing::kernel_has_dummy();
    int tried = 0, with_addresses = 0;
    for (uint64_t seed = 1; tried < 8 && seed <= 200; ++seed) {
        const Compiled c = compiled(seed);
        if (!has_dummy && c.yaml.find("dummy") != std::string::npos) continue;  // a link or a step with one
        std::vector<Edit> other;
        if (shuffle_across_namespaces(c, other, rng) < 3) continue;  // nothing much to compare
        ++tried;
        INFO("seed " << seed << "\n" << c.yaml);
        KernelLab canonical_lab, reordered_lab;
        NetState canonical_st, reordered_st;  // each edit: the model and the kernel agree
        for (const auto& e : c.edits)
            if (!e.is_observation()) testing::apply_on_both(canonical_lab, canonical_st, e);
        for (const auto& e : other)
            if (!e.is_observation()) testing::apply_on_both(reordered_lab, reordered_st, e);
        testing::wait_for_kernel(canonical_lab, canonical_st);
        testing::wait_for_kernel(reordered_lab, reordered_st);
        for (const auto& [name, ns] : canonical_st.namespaces()) {
            if (name.empty()) continue;
            INFO("namespace " << name);
            const auto [in_canonical, reordered] = testing::settled_states(canonical_lab, reordered_lab, name);
            CHECK(in_canonical == reordered);
            with_addresses += in_canonical.find("    inet ") != std::string::npos;
        }
    }
    CHECK(tried == 8);
    CHECK(with_addresses >= 8);  // the states compared are not empty ones
}
