#include "cli/table.hpp"

#include <algorithm>

namespace vethlab::cli {

std::string Table::str() const {
    std::vector<size_t> width(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
    };
    measure(header_);
    for (const auto& r : rows_) measure(r);
    auto line = [&](const std::vector<std::string>& row) {
        std::string out;
        for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size()) out += std::string(width[i] - row[i].size() + 2, ' ');
        }
        return out + "\n";
    };
    std::string out = line(header_);
    for (const auto& r : rows_) out += line(r);
    return out;
}

}  // namespace vethlab::cli
