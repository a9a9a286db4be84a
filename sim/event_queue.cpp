#include "sim/event_queue.hpp"

namespace vethlab::sim {

void EventQueue::at(Time when, std::function<void()> fn) {
    uint32_t slot;
    if (free_slots_.empty()) {
        slot = uint32_t(slots_.size());
        slots_.push_back(std::move(fn));
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
        slots_[slot] = std::move(fn);
    }
    heap_.push(Key{when < now_ ? now_ : when, seq_++, slot});
}

bool EventQueue::step() {
    if (heap_.empty()) return false;
    const Key k = heap_.top();
    heap_.pop();
    now_ = k.when;
    std::function<void()> fn = std::move(slots_[k.slot]);
    free_slots_.push_back(k.slot);
    fn();
    return true;
}

void EventQueue::run_until(Time until) {
    while (!heap_.empty() && heap_.top().when <= until) step();
    if (now_ < until) now_ = until;
}

bool EventQueue::run_while(const std::function<bool()>& keep_going) {
    while (keep_going()) {
        if (!step()) return false;
    }
    return true;
}

}  // namespace vethlab::sim
