#pragma once
// Which interval of the address space an address lies in, over sorted interval starts:
// a static search tree of 16-key blocks (a B-tree laid out level by level). Each level
// holds the first key of every block of the level below; a search reads one block per
// level and counts the keys not above the address, 16 independent comparisons the
// compiler turns into vector instructions, where a binary search makes one dependent
// load after another: 3 blocks for the 2,000 intervals of a 1,000-route table against
// 11 steps.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vethlab {

class IntervalIndex {
public:
    static constexpr size_t kNone = ~size_t(0);

    IntervalIndex() = default;
    explicit IntervalIndex(const std::vector<uint32_t>& starts);  // ascending, distinct

    // The index of the last start <= addr; kNone when addr lies before the first.
    size_t find(uint32_t addr) const {
        if (size_ == 0) return kNone;
        if (addr == kPad) return size_ - 1;  // the padding would count too
        size_t at = 0;                       // the block to read on the next level down
        for (size_t l = 0; l < levels_; ++l) {
            const uint32_t* block = keys_.data() + offset_[l] + at * kBlock;
            uint32_t not_above = 0;  // 32 bits: one vector lane per key
            for (size_t i = 0; i < kBlock; ++i) not_above += block[i] <= addr;
            if (not_above == 0) return kNone;  // only on the first block read
            at = at * kBlock + not_above - 1;
        }
        return at;
    }

    size_t size() const { return size_; }

private:
    static constexpr size_t kBlock = 16;
    static constexpr uint32_t kPad = 0xffffffff;  // above every address but itself
    static constexpr size_t kMaxLevels = 8;       // 16^8 keys: every 32-bit start
    // Every level in one array, the top first (one block); each level below holds the
    // blocks whose first keys the level above lists, the last level the starts
    // themselves. Levels are padded to whole blocks with kPad.
    std::vector<uint32_t> keys_;
    std::array<size_t, kMaxLevels> offset_{};  // where each level starts in keys_
    size_t levels_ = 0;
    size_t size_ = 0;
};

}  // namespace vethlab
