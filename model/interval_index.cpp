#include "model/interval_index.hpp"

namespace vethlab {

IntervalIndex::IntervalIndex(const std::vector<uint32_t>& starts) : size_(starts.size()) {
    if (starts.empty()) return;
    std::vector<std::vector<uint32_t>> bottom_up{starts};
    for (;;) {
        std::vector<uint32_t>& level = bottom_up.back();
        const size_t keys = level.size();
        level.resize((keys + kBlock - 1) / kBlock * kBlock, kPad);
        if (keys <= kBlock) break;
        std::vector<uint32_t> up;
        for (size_t i = 0; i < keys; i += kBlock) up.push_back(level[i]);
        bottom_up.push_back(std::move(up));
    }
    levels_ = bottom_up.size();
    for (size_t l = 0; l < levels_; ++l) {
        const auto& level = bottom_up[levels_ - 1 - l];
        offset_[l] = keys_.size();
        keys_.insert(keys_.end(), level.begin(), level.end());
    }
}

}  // namespace vethlab
