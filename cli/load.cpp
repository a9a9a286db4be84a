#include "cli/load.hpp"

#include <iostream>

namespace vethlab::cli {

void print_diagnostics(const Diagnostics& diags) {
    for (const auto& d : diags) std::cerr << d.str() << "\n";
}

std::optional<Loaded> load_or_report(const std::string& path, Diagnostics* collect) {
    Parsed parsed = load_topology(path);
    Diagnostics errors = parsed.errors;
    Loaded out{std::move(parsed.topology), {}};
    if (errors.empty()) {
        out.applied = apply_all(out.topology);
        errors = out.applied.errors;
    }
    if (errors.empty()) return out;
    if (collect) *collect = errors;
    else print_diagnostics(errors);
    return std::nullopt;
}

}  // namespace vethlab::cli
