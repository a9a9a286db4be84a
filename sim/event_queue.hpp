#pragma once
// Virtual time: events run in (time, insertion) order. Nothing in sim/ reads a clock.
//
// Built for a million events in flight (every probe of a big mesh leaves at the same
// instant): events wait in one FIFO per distinct time -- the data path schedules at a
// handful of offsets from now (a hop, a loop, a retransmit), so the times in flight are
// few -- and their callables live in a pool of fixed-size cells, allocated once and
// reused, instead of one heap block per event.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace vethlab::sim {

using Time = int64_t;  // nanoseconds of virtual time
inline constexpr Time kMicrosecond = 1000;
inline constexpr Time kMillisecond = 1000 * kMicrosecond;
inline constexpr Time kSecond = 1000 * kMillisecond;

class EventQueue {
public:
    EventQueue() = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    ~EventQueue();

    Time now() const { return now_; }
    // fn() runs at `when` (now, if `when` is past), after every event scheduled earlier
    // for the same time.
    template <class F>
    void at(Time when, F&& fn);
    template <class F>
    void after(Time delay, F&& fn) {
        at(now_ + delay, std::forward<F>(fn));
    }
    // Runs events until none is left at or before `until`; then time is `until`.
    void run_until(Time until);
    // Runs events while `keep_going` says so and some are left; returns false if none left.
    bool run_while(const std::function<bool()>& keep_going);
    bool empty() const { return size_ == 0; }
    Time next_due() const { return due_.empty() ? now_ : due_.begin()->first; }  // now_ when empty
    size_t size() const { return size_; }

private:
    // A cell holds a callable of up to N bytes in place, a bigger one by pointer. Two
    // sizes: timers capture a few words, frames in flight a whole packet; a million
    // pending neighbour timers in 128-byte cells took 200 MB (n = 1000 mesh).
    template <size_t N>
    struct Cell {
        void (*run)(Cell&) = nullptr;      // calls the callable, then destroys it
        void (*destroy)(Cell&) = nullptr;  // destroys it without calling
        alignas(std::max_align_t) unsigned char buf[N];
    };
    static constexpr size_t kSmall = 32, kBig = 104;
    static constexpr unsigned kChunkBits = 12;  // cells live in chunks: they never move
    static constexpr uint32_t kChunkMask = (uint32_t(1) << kChunkBits) - 1;
    static constexpr uint32_t kBigBit = uint32_t(1) << 31;  // in a cell's id: which pool

    template <size_t N>
    struct Pool {
        std::vector<std::unique_ptr<Cell<N>[]>> chunks;
        std::vector<uint32_t> free;
        uint32_t cells = 0;  // handed out so far (the rest of the last chunk is unused)
        Cell<N>& at(uint32_t i) { return chunks[i >> kChunkBits][i & kChunkMask]; }
        uint32_t allocate();
        void run(uint32_t i) {  // the cell stays put while it runs, and is free only afterwards
            struct Release {
                Pool& p;
                uint32_t i;
                ~Release() { p.free.push_back(i); }
            } release{*this, i};
            at(i).run(at(i));
        }
        void destroy(uint32_t i) { at(i).destroy(at(i)); }
    };
    // f(pool, index) for the pool a cell id names.
    template <class F>
    void in_pool(uint32_t id, F f) {
        if (id & kBigBit) f(big_, id & ~kBigBit);
        else f(small_, id);
    }

    // The events due at one time, in insertion order: cells [head, size()) of `cells`.
    struct Fifo {
        std::vector<uint32_t> cells;
        size_t head = 0;
    };

    void schedule(Time when, uint32_t cell);
    bool step();

    template <size_t N, class F>
    static void place(Cell<N>& c, F&& fn);

    Pool<kSmall> small_;
    Pool<kBig> big_;
    std::map<Time, Fifo> due_;
    std::vector<Fifo> spare_;  // emptied FIFOs, kept for their capacity
    size_t size_ = 0;
    Time now_ = 0;
};

template <size_t N, class F>
void EventQueue::place(Cell<N>& c, F&& fn) {
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= N && alignof(Fn) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Fn>) {
        ::new (static_cast<void*>(c.buf)) Fn(std::forward<F>(fn));
        c.run = [](Cell<N>& x) {
            Fn* f = std::launder(reinterpret_cast<Fn*>(x.buf));
            struct Done {  // destroyed even if the event throws
                Fn* f;
                ~Done() { f->~Fn(); }
            } done{f};
            (*f)();
        };
        c.destroy = [](Cell<N>& x) { std::launder(reinterpret_cast<Fn*>(x.buf))->~Fn(); };
    } else {
        ::new (static_cast<void*>(c.buf)) Fn*(new Fn(std::forward<F>(fn)));
        c.run = [](Cell<N>& x) {
            std::unique_ptr<Fn> f(*std::launder(reinterpret_cast<Fn**>(x.buf)));
            (*f)();
        };
        c.destroy = [](Cell<N>& x) { delete *std::launder(reinterpret_cast<Fn**>(x.buf)); };
    }
}

template <class F>
void EventQueue::at(Time when, F&& fn) {
    uint32_t id = 0;
    if constexpr (sizeof(std::decay_t<F>) <= kSmall) {
        id = small_.allocate();
        place(small_.at(id), std::forward<F>(fn));
    } else {
        id = big_.allocate();
        place(big_.at(id), std::forward<F>(fn));
        id |= kBigBit;
    }
    schedule(when < now_ ? now_ : when, id);
}

}  // namespace vethlab::sim
