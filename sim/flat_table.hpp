#pragma once
// A hash table from 64-bit keys to values held in the slots themselves: a lookup reads
// one slot (a cache line for a 56-byte value) where std::unordered_map reads a bucket,
// then a node it allocated on its own. The twin's neighbour tables hold two million
// entries on the n = 1000 mesh, each looked up a few times by a probe, always cold.
//
// Linear probing, at most 3/4 full; the capacity grows by half (any size: the home slot
// is the hash scaled to it, not masked). Erasing rebuilds the table (erase_if), which
// only configuration changes do. Keys kNoKey and kNoKey - 1 cannot be stored (a
// neighbour's key never is: its ifindex is positive). Any insertion or erasure
// invalidates pointers to values.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vethlab::sim {

template <class V>
class FlatTable {
public:
    static constexpr uint64_t kNoKey = ~uint64_t(0);

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    V* find(uint64_t key) {
        if (slots_.empty()) return nullptr;
        for (size_t i = home(key);; i = next(i)) {
            if (slots_[i].key == key) return &slots_[i].value;
            if (slots_[i].key == kNoKey) return nullptr;
        }
    }
    const V* find(uint64_t key) const { return const_cast<FlatTable*>(this)->find(key); }
    bool contains(uint64_t key) const { return find(key) != nullptr; }
    // A hint: the slot where a search for key starts is read soon (a cache miss begun early).
    void prefetch(uint64_t key) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[home(key)]);
    }

    // The value with this key, and whether it was added now (value-initialised).
    std::pair<V*, bool> try_emplace(uint64_t key) {
        if (V* v = find(key)) return {v, false};
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        size_t i = home(key);
        while (slots_[i].key != kNoKey) i = next(i);
        slots_[i].key = key;
        slots_[i].value = V{};
        ++size_;
        return {&slots_[i].value, true};
    }

    // Erases every entry for which pred(key, value) holds (pred may change the value
    // first, e.g. release what it owns); returns how many.
    template <class Pred>
    size_t erase_if(Pred pred) {
        size_t erased = 0;
        for (auto& s : slots_)
            if (s.key != kNoKey && pred(std::as_const(s.key), s.value)) {
                s.key = kErased;
                ++erased;
            }
        if (erased) rebuild(slots_.size());
        return erased;
    }

    // f(key, value) for every entry, in no particular order.
    template <class F>
    void for_each(F f) const {
        for (const auto& s : slots_)
            if (s.key != kNoKey) f(s.key, s.value);
    }

private:
    static constexpr uint64_t kErased = kNoKey - 1;  // only inside erase_if
    // A slot of a whole cache line starts at one (std::vector allocates with alignas).
    static constexpr size_t kSlotAlign =
        (sizeof(uint64_t) + sizeof(V)) % 64 == 0 ? 64 : std::max(alignof(uint64_t), alignof(V));
    struct alignas(kSlotAlign) Slot {
        uint64_t key = kNoKey;
        V value{};
    };

    // The key mixed (murmur3's finaliser: ifindex << 32 | address keys differ in a few
    // bits), then scaled to the capacity.
    size_t home(uint64_t key) const {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdull;
        key ^= key >> 33;
        return size_t(((key >> 32) * uint64_t(slots_.size())) >> 32);  // capacity < 2^32
    }
    size_t next(size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

    void grow() { rebuild(slots_.empty() ? 8 : slots_.size() + slots_.size() / 2); }
    void rebuild(size_t capacity) {
        std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
        size_ = 0;
        for (auto& s : old) {
            if (s.key == kNoKey || s.key == kErased) continue;
            size_t i = home(s.key);
            while (slots_[i].key != kNoKey) i = next(i);
            slots_[i].key = s.key;
            slots_[i].value = std::move(s.value);
            ++size_;
        }
    }

    std::vector<Slot> slots_;
    size_t size_ = 0;
};

}  // namespace vethlab::sim
