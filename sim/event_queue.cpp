#include "sim/event_queue.hpp"

namespace vethlab::sim {

EventQueue::~EventQueue() {
    for (auto& [when, fifo] : due_)
        for (size_t k = fifo.head; k < fifo.cells.size(); ++k) cell(fifo.cells[k]).destroy(cell(fifo.cells[k]));
}

uint32_t EventQueue::allocate() {
    if (!free_.empty()) {
        const uint32_t i = free_.back();
        free_.pop_back();
        return i;
    }
    // Default-initialised: the buffers are written only as events fill them.
    if ((cells_ & kChunkMask) == 0) chunks_.push_back(std::unique_ptr<Cell[]>(new Cell[size_t(kChunkMask) + 1]));
    return cells_++;
}

void EventQueue::schedule(Time when, uint32_t i) {
    auto it = due_.find(when);
    if (it == due_.end()) {
        Fifo fifo;
        if (!spare_.empty()) {
            fifo = std::move(spare_.back());
            spare_.pop_back();
        }
        it = due_.emplace(when, std::move(fifo)).first;
    }
    it->second.cells.push_back(i);
    ++size_;
}

bool EventQueue::step() {
    if (due_.empty()) return false;
    auto it = due_.begin();
    Fifo& fifo = it->second;
    const uint32_t i = fifo.cells[fifo.head++];
    now_ = it->first;
    --size_;
    if (fifo.head == fifo.cells.size()) {  // nothing else due then (the event may add more)
        fifo.cells.clear();
        fifo.head = 0;
        if (spare_.size() < 8) spare_.push_back(std::move(fifo));
        due_.erase(it);
    }
    // The cell stays put while the event runs, and is free only afterwards.
    struct Release {
        EventQueue* q;
        uint32_t i;
        ~Release() { q->free_.push_back(i); }
    } release{this, i};
    cell(i).run(cell(i));
    return true;
}

void EventQueue::run_until(Time until) {
    while (!due_.empty() && due_.begin()->first <= until) step();
    if (now_ < until) now_ = until;
}

bool EventQueue::run_while(const std::function<bool()>& keep_going) {
    while (keep_going()) {
        if (!step()) return false;
    }
    return true;
}

}  // namespace vethlab::sim
