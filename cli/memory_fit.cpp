#include "cli/memory_fit.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/mesh_measure.hpp"

namespace vethlab::cli {

KernelCostModel default_cost_model() {
    // The upper end of `vethlab mesh --measure` on Linux 6.18 (docs/analysis.md, Measured mode).
    return {136, 108, "figures measured on Linux 6.18"};
}

KernelCostModel load_cost_model(const std::string& state_dir) {
    const std::string path = cost_model_path(state_dir);
    std::ifstream in(path);
    if (!in) return default_cost_model();
    try {
        const auto j = nlohmann::json::parse(in);
        KernelCostModel m{j.at("per_namespace_kib").get<double>(), j.at("per_pair_kib").get<double>(),
                          "the model in " + path};
        if (m.per_pair_kib > 0 && m.per_namespace_kib >= 0) return m;
    } catch (const std::exception&) {
    }
    return default_cost_model();
}

double kernel_kib_needed(const backend::PlanCounts& c, const KernelCostModel& m) {
    return m.per_namespace_kib * double(c.namespaces) +
           m.per_pair_kib * (double(c.veth_pairs) + 0.5 * double(c.other_links));
}

std::optional<std::string> memory_refusal(const backend::PlanCounts& c, const KernelCostModel& m,
                                          const backend::MemInfo& mem) {
    const double need = kernel_kib_needed(c, m);
    const double limit = kMaxShareOfAvailable * double(mem.available_kib);
    if (need <= limit) return std::nullopt;
    return fmt::format("the topology needs about {:.1f} GiB of kernel memory ({} namespace{}, {} veth pair{} at {:.0f} "
                       "and {:.0f} KiB each, by {}), more than {:.0f}% of the {:.1f} GiB available; nothing was "
                       "changed (--force builds it anyway)",
                       need / 1048576, c.namespaces, c.namespaces == 1 ? "" : "s", c.veth_pairs,
                       c.veth_pairs == 1 ? "" : "s", m.per_namespace_kib, m.per_pair_kib, m.source,
                       kMaxShareOfAvailable * 100, double(mem.available_kib) / 1048576);
}

}  // namespace vethlab::cli
