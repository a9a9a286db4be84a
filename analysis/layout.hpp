#pragma once
// Where to draw each namespace: a Kamada-Kawai spring layout (Boost.Graph) of each group
// of connected namespaces, the groups packed in rows, biggest first.
#include <vector>

#include "model/graph.hpp"

namespace vethlab::analysis {

struct Point {
    double x = 0, y = 0;
};

struct Layout {
    std::vector<Point> position;  // by index in TopologyGraph::namespaces()
    double width = 0, height = 0; // every position lies in [0, width] x [0, height]
};

// `spacing` is the length of one veth pair in the drawing. Groups larger than a few
// hundred namespaces are drawn on a circle (the spring layout costs n^2 memory and time).
Layout layout_graph(const TopologyGraph& graph, double spacing = 110);

}  // namespace vethlab::analysis
