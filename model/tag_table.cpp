#include "model/tag_table.hpp"

#include <cassert>
#include <utility>

namespace vethlab {

void TagTable::insert(uint32_t tag, uint32_t value) {
    assert(value != kEmpty);
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    size_t i = home(tag);
    while (slots_[i].value != kEmpty) i = next(i);
    slots_[i] = Entry{tag, value};
    ++size_;
}

void TagTable::erase_slot(size_t hole) {
    // Backward shift: an entry later in the probe run moves into the hole when the hole
    // lies on its way from its home slot, so every entry stays reachable from home.
    const size_t mask = slots_.size() - 1;
    for (size_t j = next(hole); slots_[j].value != kEmpty; j = next(j)) {
        if (((j - home(slots_[j].tag)) & mask) >= ((j - hole) & mask)) {
            slots_[hole] = slots_[j];
            hole = j;
        }
    }
    slots_[hole] = Entry{};
    --size_;
}

void TagTable::grow() {
    std::vector<Entry> old = std::exchange(slots_, {});
    const size_t n = old.empty() ? 8 : old.size() * 2;
    slots_.assign(n, Entry{});
    shift_ = 64 - unsigned(__builtin_ctzll(n));
    size_ = 0;
    for (const Entry& e : old)
        if (e.value != kEmpty) insert(e.tag, e.value);
}

}  // namespace vethlab
