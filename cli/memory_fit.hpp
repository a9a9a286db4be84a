#pragma once
// Whether a topology fits in this machine's memory before `up` builds it: the kernel
// memory its namespaces and links cost, by the model `vethlab mesh --measure` fitted
// on this machine (STATE_DIR/cost-model.json), else by figures measured on a 6.18 kernel.
#include <optional>
#include <string>

#include "backend/lab.hpp"
#include "backend/meminfo.hpp"

namespace vethlab::cli {

struct KernelCostModel {
    double per_namespace_kib = 0;
    double per_pair_kib = 0;  // a veth pair; other links count half
    std::string source;       // where the figures come from, for the message
};

KernelCostModel default_cost_model();
KernelCostModel load_cost_model(const std::string& state_dir);

inline constexpr double kMaxShareOfAvailable = 0.8;

double kernel_kib_needed(const backend::PlanCounts& c, const KernelCostModel& m);

// The refusal when the estimate is above 80% of MemAvailable; nullopt when it fits.
std::optional<std::string> memory_refusal(const backend::PlanCounts& c, const KernelCostModel& m,
                                          const backend::MemInfo& mem);

}  // namespace vethlab::cli
