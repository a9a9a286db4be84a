#include "model/route_table.hpp"

#include <algorithm>
#include <cassert>

namespace vethlab {

RouteTable::const_iterator& RouteTable::const_iterator::operator++() {
    h_ = t_->node(h_).next;
    return *this;
}
RouteTable::const_iterator RouteTable::const_iterator::operator++(int) {
    const_iterator old = *this;
    ++*this;
    return old;
}
RouteTable::const_iterator& RouteTable::const_iterator::operator--() {
    h_ = h_ == kNone ? t_->tail_ : t_->node(h_).prev;
    return *this;
}
RouteTable::const_iterator RouteTable::const_iterator::operator--(int) {
    const_iterator old = *this;
    --*this;
    return old;
}

RouteTable& RouteTable::operator=(RouteTable&& o) noexcept {
    chunks_ = std::exchange(o.chunks_, {});
    free_ = std::exchange(o.free_, kNone);
    head_ = std::exchange(o.head_, kNone);
    tail_ = std::exchange(o.tail_, kNone);
    size_ = std::exchange(o.size_, 0);
    by_dst_ = std::move(o.by_dst_);
    oif_heads_ = std::exchange(o.oif_heads_, {});
    sparse_oif_heads_ = std::move(o.sparse_oif_heads_);
    by_src_ = std::move(o.by_src_);
    main_local_bits_ = std::exchange(o.main_local_bits_, {});
    main_local_counts_ = std::exchange(o.main_local_counts_, {});
    other_lengths_ = std::exchange(o.other_lengths_, {});
    generation_ = std::exchange(o.generation_, 0) + 1;  // o's compiled tables stay with o
    fib_ = FibCache{};
    o.fib_ = FibCache{};
    return *this;
}

bool RouteTable::operator==(const RouteTable& o) const {
    return size_ == o.size_ && std::equal(begin(), end(), o.begin(), o.end());
}

uint32_t RouteTable::dst_tag(uint32_t table, Prefix dst) {
    uint64_t x = (uint64_t(dst.len()) << 32 | dst.network().value()) ^ (uint64_t(table) * 0x9e3779b97f4a7c15ull);
    x ^= x >> 33;  // murmur3's finaliser
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return uint32_t(x);
}

RouteTable::Handle RouteTable::dst_head(uint32_t table, Prefix dst) const {
    const uint32_t* first = by_dst_.find(dst_tag(table, dst), [&](uint32_t h) {
        const Route& r = node(h).route;
        return r.table == table && r.dst == dst;
    });
    return first ? *first : kNone;
}

RouteTable::Handle RouteTable::dst_last(Handle first) const {
    if (first != kNone)
        while (node(first).same_dst != kNone) first = node(first).same_dst;
    return first;
}

void RouteTable::link_dst(Handle h, Handle last) {
    const Route& r = node(h).route;
    node(h).same_dst = kNone;
    if (last == kNone) by_dst_.insert(dst_tag(r.table, r.dst), h);
    else node(last).same_dst = h;
}

RouteTable::Handle RouteTable::allocate(const Route& r) {
    if (free_ != kNone) {
        const Handle h = free_;
        free_ = node(h).next;
        node(h).route = r;
        return h;
    }
    const Handle h = chunks_.empty() ? 0 : Handle(((chunks_.size() - 1) << kChunkBits) + chunks_.back().size());
    if ((h & kChunkMask) == 0) {
        chunks_.emplace_back();
        chunks_.back().reserve(h ? size_t(kChunkMask) + 1 : 16);  // the first grows as needed
    }
    chunks_.back().push_back(Node{r, kNone, kNone, kNone, kNone, kNone});
    return h;
}

RouteTable::Handle RouteTable::append_node(const Route& r) {
    changed();
    const Handle h = allocate(r);
    node(h).prev = tail_;
    node(h).next = kNone;
    if (tail_ == kNone) head_ = h;
    else node(tail_).next = h;
    tail_ = h;
    ++size_;
    return h;
}

RouteTable::Handle RouteTable::push_back(const Route& r) {
    const Handle h = append_node(r);
    index(h);
    return h;
}

RouteTable::Handle RouteTable::push_back_unique(const Route& r) {
    Handle last = kNone;  // the last route with this dst
    for (Handle h = dst_head(r.table, r.dst); h != kNone; h = node(h).same_dst) {
        if (node(h).route == r) return kNone;
        last = h;
    }
    const Handle h = append_node(r);
    link_dst(h, last);
    index_rest(h);
    return h;
}

void RouteTable::erase(Handle h) {
    changed();
    unindex(h);
    Node& n = node(h);
    if (n.prev == kNone) head_ = n.next;
    else node(n.prev).next = n.next;
    if (n.next == kNone) tail_ = n.prev;
    else node(n.next).prev = n.prev;
    n.next = free_;
    free_ = h;
    --size_;
}

void RouteTable::replace(Handle h, const Route& r) {
    // Same table and dst: the route keeps its place in the order and among its dst.
    changed();
    Node& n = node(h);
    assert(n.route.table == r.table && n.route.dst == r.dst);
    unlink_oif(h);
    count_src(n.route.prefsrc, -1);
    n.route = r;
    link_oif(h);
    count_src(r.prefsrc, +1);
}

RouteTable::Handle RouteTable::find(const Route& r) const {
    return find_first(r.table, r.dst, [&](const Route& x) { return x == r; });
}

void RouteTable::erase_prefsrc(Ipv4 src) {
    if (!by_src_.find(src.value())) return;  // counted, not chained: a scan, when there is anything
    for (Handle h = head_; h != kNone;) {
        const Handle next = node(h).next;
        if (node(h).route.prefsrc == src) erase(h);
        h = next;
    }
}

uint64_t RouteTable::other_prefix_lengths(uint32_t table) const {
    auto it = other_lengths_.find(table);
    return it == other_lengths_.end() ? 0 : it->second.bits;
}

RouteTable::LengthsRef RouteTable::lengths(uint32_t table) {
    if (table == kTableMain) return {main_local_counts_[0], main_local_bits_[0]};
    if (table == kTableLocal) return {main_local_counts_[1], main_local_bits_[1]};
    Lengths& l = other_lengths_[table];
    return {l.count, l.bits};
}

void RouteTable::index(Handle h) {
    const Route& r = node(h).route;
    link_dst(h, dst_last(dst_head(r.table, r.dst)));  // last among the routes with this dst, as in the order
    index_rest(h);
}

void RouteTable::index_rest(Handle h) {
    const Route& r = node(h).route;
    link_oif(h);
    count_src(r.prefsrc, +1);
    LengthsRef l = lengths(r.table);
    if (l.count[size_t(r.dst.len())]++ == 0) l.bits |= uint64_t(1) << r.dst.len();
}

void RouteTable::unindex(Handle h) {
    const Route& r = node(h).route;
    unlink_dst(h);
    unlink_oif(h);
    count_src(r.prefsrc, -1);
    LengthsRef l = lengths(r.table);
    if (--l.count[size_t(r.dst.len())] == 0) l.bits &= ~(uint64_t(1) << r.dst.len());
    if (l.bits == 0 && r.table != kTableMain && r.table != kTableLocal) other_lengths_.erase(r.table);
}

void RouteTable::unlink_dst(Handle h) {
    const Route& r = node(h).route;
    const uint32_t tag = dst_tag(r.table, r.dst);
    uint32_t* first = by_dst_.find(tag, [&](uint32_t x) {
        const Route& o = node(x).route;
        return o.table == r.table && o.dst == r.dst;
    });
    if (*first != h) {
        Handle p = *first;
        while (node(p).same_dst != h) p = node(p).same_dst;
        node(p).same_dst = node(h).same_dst;
    } else if (node(h).same_dst != kNone) {
        *first = node(h).same_dst;
    } else {
        by_dst_.erase(tag, [h](uint32_t x) { return x == h; });
    }
}

RouteTable::Handle RouteTable::oif_head(uint32_t oif) const {
    if (oif < oif_heads_.size()) return oif_heads_[oif];
    if (oif < kDenseOifs) return kNone;
    const uint32_t* h = sparse_oif_heads_.find(oif);
    return h ? *h : kNone;
}

void RouteTable::set_oif_head(uint32_t oif, Handle h) {
    if (oif < kDenseOifs) {
        if (oif >= oif_heads_.size()) oif_heads_.resize(oif + 1, kNone);
        oif_heads_[oif] = h;
    } else if (uint32_t* old = sparse_oif_heads_.find(oif)) {
        if (h == kNone) sparse_oif_heads_.erase(oif);
        else *old = h;
    } else if (h != kNone) {
        sparse_oif_heads_.insert(oif, h);
    }
}

void RouteTable::link_oif(Handle h) {  // first in its device's chain
    const uint32_t oif = uint32_t(node(h).route.oif);
    const Handle first = oif_head(oif);
    node(h).oprev = kNone;
    node(h).onext = first;
    if (first != kNone) node(first).oprev = h;
    set_oif_head(oif, h);
}

void RouteTable::unlink_oif(Handle h) {
    const Node& n = node(h);
    if (n.oprev != kNone) node(n.oprev).onext = n.onext;
    else set_oif_head(uint32_t(n.route.oif), n.onext);
    if (n.onext != kNone) node(n.onext).oprev = n.oprev;
}

void RouteTable::count_src(Ipv4 src, int delta) {
    uint32_t* n = by_src_.find(src.value());
    if (delta > 0) {
        if (n) ++*n;
        else by_src_.insert(src.value(), 1);
    } else if (--*n == 0) {
        by_src_.erase(src.value());
    }
}

}  // namespace vethlab

namespace vethlab {

// Compiling costs a sort of the destinations; it pays once a table is looked up about
// as often as it holds routes/16 between two changes (the data path, not a build that
// checks a gateway after each route).
//
// A table whose routes have at most kFewLengths prefix lengths does not get the pair
// compiled: one hash probe per length costs fewer cache misses than the search tree
// does once there are many namespaces, whose tables do not all stay in the cache (a
// full mesh: /30s in main, /32s and 127/8 in local). Once the other table got them
// compiled, it is searched compiled too (compiled() in the header): the local table
// of a router with a thousand routes is then one search, not a hash probe per length.
const RouteTable::Compiled* RouteTable::compile_if_worth(uint32_t table) const {
    if (few_lengths(prefix_lengths(table))) return nullptr;
    if (fib_.generation != generation_) {
        fib_.generation = generation_;
        fib_.lookups = 0;
        fib_.built = false;
    }
    if (++fib_.lookups < 32 + size_ / 16) return nullptr;
    compile();
    fib_.built = true;
    return &fib_.tables[table == kTableMain ? 0 : 1];
}

void RouteTable::compile() const {
    for (int t = 0; t < 2; ++t) {
        const uint32_t table = t == 0 ? kTableMain : kTableLocal;
        Compiled& c = fib_.tables[size_t(t)];
        c = Compiled{};
        // The distinct destinations, each with its first route (insertion order).
        std::vector<std::pair<Prefix, Handle>> dsts;
        for (Handle h = head_; h != kNone; h = node(h).next) {
            const Route& r = node(h).route;
            if (r.table == table && dst_head(table, r.dst) == h) dsts.emplace_back(r.dst, h);
        }
        // Containers before what they contain: by network, then shorter first.
        std::sort(dsts.begin(), dsts.end(), [](const auto& a, const auto& b) {
            return a.first.network().value() != b.first.network().value()
                       ? a.first.network().value() < b.first.network().value()
                       : a.first.len() < b.first.len();
        });
        // Destinations nest or are disjoint, so a stack holds those containing the
        // current address, the longest on top. Interval boundaries: where a destination
        // starts, and just past where it ends.
        auto last = [](Prefix p) {
            return uint64_t(p.network().value()) + (uint64_t(1) << (32 - p.len())) - 1;
        };
        std::vector<uint64_t> bounds{0};
        for (const auto& [p, h] : dsts) {
            bounds.push_back(p.network().value());
            if (last(p) + 1 <= 0xffffffffull) bounds.push_back(last(p) + 1);
        }
        std::sort(bounds.begin(), bounds.end());
        bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
        std::vector<uint32_t> starts;  // of the intervals whose longest destination differs
        std::vector<uint32_t> stack;   // indexes into c.dests
        std::vector<uint64_t> ends;   // last address of each, by index
        size_t next = 0;
        c.dests.reserve(dsts.size());
        for (const uint64_t b : bounds) {
            while (!stack.empty() && ends[stack.back()] < b) stack.pop_back();
            while (next < dsts.size() && dsts[next].first.network().value() == b) {
                c.dests.push_back({dsts[next].second, stack.empty() ? kNone : stack.back()});
                ends.push_back(last(dsts[next].first));
                stack.push_back(uint32_t(c.dests.size() - 1));
                ++next;
            }
            if (!starts.empty() && c.top.back() == (stack.empty() ? kNone : stack.back())) continue;  // same as before
            starts.push_back(uint32_t(b));
            c.top.push_back(stack.empty() ? kNone : stack.back());
        }
        c.index = IntervalIndex(starts);
        c.top.shrink_to_fit();
    }
}

}  // namespace vethlab
