#include "sim/event_queue.hpp"

namespace vethlab::sim {

void EventQueue::at(Time when, std::function<void()> fn) {
    events_.push(Event{when < now_ ? now_ : when, seq_++, std::move(fn)});
}

bool EventQueue::step() {
    if (events_.empty()) return false;
    Event e = std::move(const_cast<Event&>(events_.top()));
    events_.pop();
    now_ = e.when;
    e.fn();
    return true;
}

void EventQueue::run_until(Time until) {
    while (!events_.empty() && events_.top().when <= until) step();
    if (now_ < until) now_ = until;
}

bool EventQueue::run_while(const std::function<bool()>& keep_going) {
    while (keep_going()) {
        if (!step()) return false;
    }
    return true;
}

}  // namespace vethlab::sim
