#pragma once
// vethlab mesh --measure: build each full mesh and each bridge (`gen bridge n`) on the
// kernel (through the backend, in this process, under a per-run namespace prefix), time
// its creation and teardown, read the kernel memory it costs, and fit a cost model: per
// namespace and per veth pair for the mesh, per host for the bridge.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "analysis/cost_fit.hpp"

namespace vethlab::cli {

struct MeasureOptions {
    uint64_t min = 2, max = 8, step = 1;
    int repeat = 3;             // runs per n: the fastest time, the median memory are kept
    std::string state_dir;      // journals of the measured labs
};

struct MeasuredRow {
    uint64_t n = 0, pairs = 0;           // a bridge: one pair per host (pairs = n)
    double build_s = 0, teardown_s = 0;  // fastest of the runs (others' load only adds)
    double kernel_kib = 0;               // slab + percpu + vmalloc, median increase
    double available_kib = 0;            // median drop of MemAvailable
};

struct Measurement {
    std::vector<MeasuredRow> rows;         // full meshes
    std::vector<MeasuredRow> bridge_rows;  // bridges of the same n, built after each mesh
    // Kernel memory of one namespace, from max namespaces without links (median of the
    // runs); the memory model takes it as its per-namespace cost. 0: not measured.
    double namespace_kib = 0;
    std::optional<analysis::MeshCostModel> memory, build, teardown;  // KiB, s, s
    std::optional<analysis::BridgeCostModel> bridge_memory, bridge_build, bridge_teardown;
    std::string error;                                                // set: stopped there
};

// Progress lines go to `log` (one per run).
Measurement measure_meshes(const MeasureOptions& o, std::ostream& log);

// Where `up` finds the last fitted memory model: STATE_DIR/cost-model.json.
std::string cost_model_path(const std::string& state_dir);
// Keeps the memory model when it is worth keeping: meshes up to n >= 16 measured (below
// that, freed slab pages hide the cost) and positive costs. Returns the path, or why not.
inline constexpr uint64_t kMinKeptMeshN = 16;
std::string save_cost_model(const std::string& state_dir, const Measurement& m, bool& kept);

}  // namespace vethlab::cli
