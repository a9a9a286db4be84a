#pragma once
// How many veth pairs, interfaces and addresses a topology shape needs for n namespaces.
#include <cstdint>
#include <optional>
#include <string_view>

namespace vethlab::analysis {

enum class Shape { mesh, bridge, ring, line, star };
std::string_view to_string(Shape s);
std::optional<Shape> shape_from(std::string_view word);

struct LinkCounts {
    uint64_t veth_pairs = 0;
    uint64_t interfaces = 0;  // veth ends plus bridges
    uint64_t bridges = 0;
    uint64_t addresses = 0;   // one per veth end in a namespace (bridge ports have none)
};

// mesh: n(n-1)/2 pairs; bridge: n pairs and one bridge; ring: n (n >= 3, else as a line);
// line: n-1; star: n-1 (one hub namespace). Addresses: two per pair, except for the
// bridge: one per namespace.
LinkCounts link_counts(Shape shape, uint64_t n);

}  // namespace vethlab::analysis
