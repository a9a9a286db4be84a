#pragma once
// Virtual time: events run in (time, insertion) order. Nothing in sim/ reads a clock.
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace vethlab::sim {

using Time = int64_t;  // nanoseconds of virtual time
inline constexpr Time kMicrosecond = 1000;
inline constexpr Time kMillisecond = 1000 * kMicrosecond;
inline constexpr Time kSecond = 1000 * kMillisecond;

class EventQueue {
public:
    Time now() const { return now_; }
    void at(Time when, std::function<void()> fn);
    void after(Time delay, std::function<void()> fn) { at(now_ + delay, std::move(fn)); }
    // Runs events until none is left at or before `until`; then time is `until`.
    void run_until(Time until);
    // Runs events while `keep_going` says so and some are left; returns false if none left.
    bool run_while(const std::function<bool()>& keep_going);
    bool empty() const { return heap_.empty(); }

private:
    // The heap orders small keys; the callables stay put in slots_.
    struct Key {
        Time when;
        uint64_t seq;
        uint32_t slot;
        bool operator>(const Key& o) const { return when != o.when ? when > o.when : seq > o.seq; }
    };
    bool step();

    std::priority_queue<Key, std::vector<Key>, std::greater<>> heap_;
    std::vector<std::function<void()>> slots_;
    std::vector<uint32_t> free_slots_;
    Time now_ = 0;
    uint64_t seq_ = 0;
};

}  // namespace vethlab::sim
