#include "analysis/link_counts.hpp"

namespace vethlab::analysis {

std::string_view to_string(Shape s) {
    switch (s) {
        case Shape::mesh: return "mesh";
        case Shape::bridge: return "bridge";
        case Shape::ring: return "ring";
        case Shape::line: return "line";
        case Shape::star: return "star";
    }
    return "mesh";
}

std::optional<Shape> shape_from(std::string_view word) {
    for (Shape s : {Shape::mesh, Shape::bridge, Shape::ring, Shape::line, Shape::star})
        if (to_string(s) == word) return s;
    return std::nullopt;
}

LinkCounts link_counts(Shape shape, uint64_t n) {
    LinkCounts c;
    switch (shape) {
        case Shape::mesh: c.veth_pairs = n * (n - (n > 0)) / 2; break;
        case Shape::bridge: c.veth_pairs = n; c.bridges = n > 0; break;
        case Shape::ring: c.veth_pairs = n >= 3 ? n : (n == 2 ? 1 : 0); break;
        case Shape::line:
        case Shape::star: c.veth_pairs = n > 0 ? n - 1 : 0; break;
    }
    c.interfaces = 2 * c.veth_pairs + c.bridges;
    c.addresses = shape == Shape::bridge ? n : 2 * c.veth_pairs;
    return c;
}

}  // namespace vethlab::analysis
