#pragma once
// The routes of one namespace, every table, in insertion order (the order `ip route`
// keeps among routes with one key), indexed for the kernel's questions: the routes
// with a given table and destination (same key, identical route, delete, lookup), the
// routes through a device, whether any route prefers a source, and which prefix
// lengths a table holds. Iterated like a container of `const Route&`; changed only by
// NetState. Built to stay small: a full mesh of 1000 namespaces holds 3M routes.
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

#include "model/interval_index.hpp"
#include "model/ipv4.hpp"
#include "model/route.hpp"
#include "model/tag_table.hpp"

namespace vethlab {

struct Route {
    uint32_t table = kTableMain;
    RouteType type = RouteType::unicast;
    Prefix dst;
    uint8_t tos = 0;
    uint32_t metric = 0;
    Ipv4 gateway;  // 0.0.0.0: none
    int oif = 0;   // output device ifindex; 0: none
    Ipv4 prefsrc;  // 0.0.0.0: none
    RouteScope scope = RouteScope::universe;
    RouteProto proto = RouteProto::boot;
    bool onlink = false;
    bool operator==(const Route&) const = default;
};

class RouteTable {
public:
    using Handle = uint32_t;  // stable while the route stays in the table
    static constexpr Handle kNone = TagTable::kEmpty;

    class const_iterator {
    public:
        using iterator_category = std::bidirectional_iterator_tag;
        using value_type = Route;
        using difference_type = std::ptrdiff_t;
        using pointer = const Route*;
        using reference = const Route&;

        const_iterator() = default;
        reference operator*() const { return t_->get(h_); }
        pointer operator->() const { return &t_->get(h_); }
        const_iterator& operator++();
        const_iterator operator++(int);
        const_iterator& operator--();
        const_iterator operator--(int);
        bool operator==(const const_iterator& o) const { return h_ == o.h_ && t_ == o.t_; }

    private:
        friend class RouteTable;
        const_iterator(const RouteTable* t, Handle h) : t_(t), h_(h) {}
        const RouteTable* t_ = nullptr;
        Handle h_ = kNone;
    };
    using iterator = const_iterator;
    using value_type = Route;
    using size_type = std::size_t;
    using difference_type = std::ptrdiff_t;
    using reference = const Route&;
    using const_reference = const Route&;

    RouteTable() = default;
    RouteTable(const RouteTable&) = default;
    RouteTable& operator=(const RouteTable&) = default;
    RouteTable(RouteTable&& o) noexcept { *this = std::move(o); }
    RouteTable& operator=(RouteTable&& o) noexcept;  // leaves o empty

    const_iterator begin() const { return {this, head_}; }
    const_iterator end() const { return {this, kNone}; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const Route& front() const { return get(head_); }
    const Route& back() const { return get(tail_); }
    bool operator==(const RouteTable& o) const;  // the same routes in the same order

    const Route& get(Handle h) const { return node(h).route; }
    Handle push_back(const Route& r);
    // push_back unless an identical route is there (then kNone): one search of the
    // destination's routes, where find() and push_back() made two.
    Handle push_back_unique(const Route& r);
    void erase(Handle h);
    void replace(Handle h, const Route& r);  // r has h's table and dst: keeps its place
    Handle find(const Route& r) const;       // the first identical route
    // A hint: the routes with this table and dst are looked for soon (see TagTable::prefetch).
    void prefetch(uint32_t table, Prefix dst) const { by_dst_.prefetch(dst_tag(table, dst)); }
    // A hint: addr is looked up in main or local soon. Only where the lookup goes by its
    // few prefix lengths; a compiled table's index is not fetched.
    void prefetch_lookup(uint32_t table, Ipv4 addr) const {
        uint64_t lens = prefix_lengths(table);
        if (!compiled_kind(table) || !few_lengths(lens)) return;
        for (; lens; lens &= lens - 1) prefetch(table, Prefix(addr, std::countr_zero(lens)));
    }
    // The first route (insertion order) with this table and dst for which pred holds.
    template <class Pred>
    Handle find_first(uint32_t table, Prefix dst, Pred pred) const;
    // f(route) for every route with this table and dst, in insertion order.
    template <class F>
    void for_each_with_dst(uint32_t table, Prefix dst, F f) const;
    template <class Pred>
    void erase_oif_if(int oif, Pred pred);  // among the routes through device oif
    void erase_prefsrc(Ipv4 src);
    // Bit l set: the table holds a route with a /l destination.
    uint64_t prefix_lengths(uint32_t table) const {
        if (table == kTableMain) return main_local_bits_[0];
        if (table == kTableLocal) return main_local_bits_[1];
        return other_prefix_lengths(table);
    }
    // f(table) for every table holding a route (a few; not one call per route).
    template <class F>
    void for_each_table(F f) const {
        if (main_local_bits_[0]) f(kTableMain);
        if (main_local_bits_[1]) f(kTableLocal);
        for (const auto& [table, l] : other_lengths_)
            if (l.bits) f(table);
    }

    // The fib lookup of one table (fib_table_lookup): among the destinations holding
    // `addr`, longest prefix first, the routes with that destination for which
    // accept(route) holds; the lowest tos, then metric, the earliest on a tie. A
    // destination with no accepted route falls through to the next shorter one.
    // A table looked up often between changes is compiled into a sorted array of
    // address intervals, each naming its longest covering destination, searched as a
    // tree (interval_index.hpp), not one hash probe per prefix length; until then, and
    // for other tables, one probe per prefix length present.
    template <class Accept>
    const Route* lookup(uint32_t table, Ipv4 addr, Accept accept) const;

private:
    // A compiled table (main or local): intervals of the address space, in order; the
    // interval i (index.find(addr) == i) lies in dest[top[i]], the longest destination
    // holding it (kNone: none), whose `parent` is the next shorter one, and so on.
    struct Compiled {
        struct Dest {
            Handle first;     // the first route with this destination
            uint32_t parent;  // index of the next shorter destination holding it, or kNone
        };
        IntervalIndex index;  // over the interval starts (the first is 0)
        std::vector<uint32_t> top;
        std::vector<Dest> dests;
    };
    struct FibCache {
        uint64_t generation = ~uint64_t(0);  // of the routes it was compiled from
        uint64_t lookups = 0;                // since the last change
        bool built = false;
        std::array<Compiled, 2> tables;      // main, local
    };
    static constexpr int kFewLengths = 2;
    // At most kFewLengths bits set: clearing the lowest twice leaves nothing (std::popcount
    // is a call into libgcc on baseline x86-64, a tenth of a lookup).
    static bool few_lengths(uint64_t lens) {
        static_assert(kFewLengths == 2);
        lens &= lens - 1;
        return (lens & (lens - 1)) == 0;
    }
    void compile() const;
    static bool compiled_kind(uint32_t table) { return table == kTableMain || table == kTableLocal; }
    // The table compiled, if it is worth it (route_table.cpp); the check on every lookup
    // is inline, compiling is not.
    const Compiled* compiled(uint32_t table) const {
        if (!compiled_kind(table)) return nullptr;
        if (fib_.built && fib_.generation == generation_) return &fib_.tables[table == kTableMain ? 0 : 1];
        return compile_if_worth(table);
    }
    const Compiled* compile_if_worth(uint32_t table) const;
    uint64_t other_prefix_lengths(uint32_t table) const;
    void changed() { ++generation_; }

    struct Node {
        Route route;
        Handle prev, next;    // insertion order; a free node's next is the next free one
        Handle same_dst;      // the next route with this table and dst
        Handle oprev, onext;  // the routes through this device
    };
    struct Lengths {
        std::array<uint32_t, 33> count{};  // routes per prefix length
        uint64_t bits = 0;                 // bit l: count[l] > 0
    };
    struct LengthsRef {  // a table's Lengths, wherever its parts are kept
        std::array<uint32_t, 33>& count;
        uint64_t& bits;
    };
    static constexpr unsigned kChunkBits = 8;  // nodes live in chunks: no copies as they grow
    static constexpr Handle kChunkMask = (Handle(1) << kChunkBits) - 1;

    Node& node(Handle h) { return chunks_[h >> kChunkBits][h & kChunkMask]; }
    const Node& node(Handle h) const { return chunks_[h >> kChunkBits][h & kChunkMask]; }
    static uint32_t dst_tag(uint32_t table, Prefix dst);
    Handle dst_head(uint32_t table, Prefix dst) const;
    Handle dst_last(Handle first) const;    // the last of the routes chained from first (kNone: none)
    void link_dst(Handle h, Handle last);  // h goes after `last` among its dst's routes (kNone: first)
    Handle allocate(const Route& r);
    void index(Handle h);  // by dst, device, source and length
    Handle append_node(const Route& r);  // allocated and last in the order; not indexed
    void index_rest(Handle h);           // by device, source and length
    void unindex(Handle h);
    void unlink_dst(Handle h);
    Handle oif_head(uint32_t oif) const;
    void set_oif_head(uint32_t oif, Handle h);
    void link_oif(Handle h);
    void unlink_oif(Handle h);
    void count_src(Ipv4 src, int delta);
    LengthsRef lengths(uint32_t table);

    static constexpr uint32_t kDenseOifs = 4096;  // devices numbered below: a plain array

    // What every lookup reads comes first, within two cache lines: a lookup in a namespace
    // not visited for a while (a million probes over 1000 namespaces) pays a miss per line.
    TagTable by_dst_;                           // hash of (table, dst) -> the first route with them
    std::vector<std::vector<Node>> chunks_;
    std::array<uint64_t, 2> main_local_bits_{};  // Lengths::bits of kTableMain, kTableLocal
    uint64_t generation_ = 0;                    // counts changes
    mutable FibCache fib_;                       // its generation and built flag first
    Handle free_ = kNone;
    Handle head_ = kNone, tail_ = kNone;
    size_t size_ = 0;
    std::vector<Handle> oif_heads_;      // oif -> a route through it
    TagTable sparse_oif_heads_;          // the same for oif >= kDenseOifs
    TagTable by_src_;                    // prefsrc -> how many routes prefer it
    std::array<std::array<uint32_t, 33>, 2> main_local_counts_{};  // Lengths::count of main, local
    std::map<uint32_t, Lengths> other_lengths_;
};

template <class Accept>
const Route* RouteTable::lookup(uint32_t table, Ipv4 addr, Accept accept) const {
    const Route* best = nullptr;
    auto consider = [&](Handle first) {  // the routes with one destination
        for (Handle h = first; h != kNone; h = node(h).same_dst) {
            const Route& r = node(h).route;
            if (!accept(r)) continue;
            if (!best || r.tos < best->tos || (r.tos == best->tos && r.metric < best->metric)) best = &r;
        }
    };
    if (const Compiled* c = compiled(table)) {
        // The last interval starting at or before addr (starts[0] is 0).
        for (uint32_t d = c->top[c->index.find(addr.value())]; d != kNone; d = c->dests[d].parent) {
            consider(c->dests[d].first);
            if (best) return best;
        }
        return nullptr;
    }
    for (uint64_t lens = prefix_lengths(table); lens;) {
        const int len = 63 - std::countl_zero(lens);
        lens &= ~(uint64_t(1) << len);
        consider(dst_head(table, Prefix(addr, len)));
        if (best) return best;
    }
    return nullptr;
}

template <class Pred>
RouteTable::Handle RouteTable::find_first(uint32_t table, Prefix dst, Pred pred) const {
    for (Handle h = dst_head(table, dst); h != kNone; h = node(h).same_dst)
        if (pred(node(h).route)) return h;
    return kNone;
}

template <class F>
void RouteTable::for_each_with_dst(uint32_t table, Prefix dst, F f) const {
    for (Handle h = dst_head(table, dst); h != kNone; h = node(h).same_dst) f(node(h).route);
}

template <class Pred>
void RouteTable::erase_oif_if(int oif, Pred pred) {
    for (Handle h = oif_head(uint32_t(oif)); h != kNone;) {
        const Handle next = node(h).onext;
        if (pred(node(h).route)) erase(h);
        h = next;
    }
}

}  // namespace vethlab
