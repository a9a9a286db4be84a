#pragma once
// A compact hash index: 8-byte entries (a 32-bit tag, a 32-bit value) in one array,
// open addressing with linear probing and deletion by backward shift. The tag is the
// key itself when the key is 32 bits (an address, an ifindex), else a hash of it: then
// several entries may share a tag and the caller's `match` tells them apart by value
// (an ifindex whose device has the name, a route whose key it is). NetState's indexes
// hold millions of entries, and on a big mesh memory is what costs.
// Any insertion or erasure invalidates pointers to values.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace vethlab {

class TagTable {
public:
    static constexpr uint32_t kEmpty = ~uint32_t(0);  // not a storable value

    static constexpr auto any = [](uint32_t) { return true; };

    TagTable() = default;
    TagTable(const TagTable&) = default;
    TagTable& operator=(const TagTable&) = default;
    TagTable(TagTable&& o) noexcept { *this = std::move(o); }
    TagTable& operator=(TagTable&& o) noexcept {  // leaves o empty, not merely unspecified
        slots_ = std::exchange(o.slots_, {});
        shift_ = std::exchange(o.shift_, 64);
        size_ = std::exchange(o.size_, 0);
        return *this;
    }

    // The value of an entry with this tag for which match(value) holds, or null.
    template <class Match = decltype(any)>
    uint32_t* find(uint32_t tag, Match match = any) {
        const size_t i = find_slot(tag, match);
        return i == kNoSlot ? nullptr : &slots_[i].value;
    }
    template <class Match = decltype(any)>
    const uint32_t* find(uint32_t tag, Match match = any) const {
        return const_cast<TagTable*>(this)->find(tag, match);
    }

    void insert(uint32_t tag, uint32_t value);  // another entry with the tag may exist

    // A hint: the slot where a search for tag starts is read soon (a cache miss begun early).
    void prefetch(uint32_t tag) const {
        if (!slots_.empty()) __builtin_prefetch(&slots_[home(tag)]);
    }

    // Erases an entry with this tag for which match(value) holds; false if none.
    template <class Match = decltype(any)>
    bool erase(uint32_t tag, Match match = any) {
        const size_t i = find_slot(tag, match);
        if (i == kNoSlot) return false;
        erase_slot(i);
        return true;
    }

    size_t size() const { return size_; }

private:
    struct Entry {
        uint32_t tag = 0;
        uint32_t value = kEmpty;
    };

    static constexpr size_t kNoSlot = ~size_t(0);

    template <class Match>
    size_t find_slot(uint32_t tag, Match& match) const {
        if (size_ == 0) return kNoSlot;
        for (size_t i = home(tag);; i = next(i)) {
            const Entry& e = slots_[i];
            if (e.value == kEmpty) return kNoSlot;
            if (e.tag == tag && match(e.value)) return i;
        }
    }

    // Fibonacci hashing: the top bits of tag * 2^64/phi spread even sequential tags.
    size_t home(uint32_t tag) const { return size_t((uint64_t(tag) * 0x9e3779b97f4a7c15ull) >> shift_); }
    size_t next(size_t i) const { return (i + 1) & (slots_.size() - 1); }
    void erase_slot(size_t i);
    void grow();

    std::vector<Entry> slots_;  // empty or a power of two, at most 3/4 full
    unsigned shift_ = 64;
    size_t size_ = 0;
};

}  // namespace vethlab
