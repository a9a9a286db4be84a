#include "sim/event_queue.hpp"

namespace vethlab::sim {

EventQueue::~EventQueue() {
    for (auto& [when, fifo] : due_)
        for (size_t k = fifo.head; k < fifo.cells.size(); ++k)
            in_pool(fifo.cells[k], [](auto& pool, uint32_t i) { pool.destroy(i); });
}

template <size_t N>
uint32_t EventQueue::Pool<N>::allocate() {
    if (!free.empty()) {
        const uint32_t i = free.back();
        free.pop_back();
        return i;
    }
    // Default-initialised: the buffers are written only as events fill them.
    if ((cells & kChunkMask) == 0) chunks.push_back(std::unique_ptr<Cell<N>[]>(new Cell<N>[size_t(kChunkMask) + 1]));
    return cells++;
}

template uint32_t EventQueue::Pool<EventQueue::kSmall>::allocate();
template uint32_t EventQueue::Pool<EventQueue::kBig>::allocate();

void EventQueue::schedule(Time when, uint32_t id) {
    auto it = due_.find(when);
    if (it == due_.end()) {
        Fifo fifo;
        if (!spare_.empty()) {
            fifo = std::move(spare_.back());
            spare_.pop_back();
        }
        it = due_.emplace(when, std::move(fifo)).first;
    }
    it->second.cells.push_back(id);
    ++size_;
}

bool EventQueue::step() {
    if (due_.empty()) return false;
    auto it = due_.begin();
    Fifo& fifo = it->second;
    const uint32_t id = fifo.cells[fifo.head++];
    now_ = it->first;
    --size_;
    if (fifo.head == fifo.cells.size()) {  // nothing else due then (the event may add more)
        fifo.cells.clear();
        fifo.head = 0;
        if (spare_.size() < 8) spare_.push_back(std::move(fifo));
        due_.erase(it);
    }
    in_pool(id, [](auto& pool, uint32_t i) { pool.run(i); });
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
