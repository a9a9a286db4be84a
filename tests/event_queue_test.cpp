// The simulator's clock: events in (time, insertion) order, whatever their size, and
// however many are in flight.
#include <catch2/catch.hpp>

#include <array>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "sim/event_queue.hpp"

using namespace vethlab::sim;

TEST_CASE("event queue: time first, then the order events were scheduled in", "[sim][event_queue]") {
    EventQueue q;
    std::string order;
    q.at(20, [&] { order += 'c'; });
    q.at(10, [&] { order += 'a'; });
    q.at(10, [&] { order += 'b'; });
    q.at(30, [&] {
        order += 'd';
        q.after(0, [&] { order += 'f'; });   // same instant: after what is already due then
        q.at(5, [&] { order += 'g'; });      // in the past: now, after that
    });
    q.at(30, [&] { order += 'e'; });
    CHECK(q.size() == 5);
    q.run_until(100);
    CHECK(order == "abcdefg");
    CHECK(q.now() == 100);
    CHECK(q.empty());
}

TEST_CASE("event queue: run_until stops before later events, run_while stops when told", "[sim][event_queue]") {
    EventQueue q;
    int ran = 0;
    for (int i = 1; i <= 5; ++i) q.at(i * 10, [&] { ++ran; });
    q.run_until(25);
    CHECK(ran == 2);
    CHECK(q.now() == 25);
    CHECK(q.run_while([&] { return ran < 4; }));
    CHECK(ran == 4);
    CHECK(q.now() == 40);
    CHECK_FALSE(q.run_while([] { return true; }));
    CHECK(ran == 5);
}

TEST_CASE("event queue: big and small callables, destroyed once, also when never run", "[sim][event_queue]") {
    auto token = std::make_shared<int>(0);
    std::vector<int> seen;
    {
        EventQueue q;
        std::array<int, 64> big{};  // 256 bytes: stored out of line
        big[63] = 7;
        q.at(1, [&seen, big, token] { seen.push_back(big[63]); });
        q.at(2, [&seen, token] { seen.push_back(1); });
        q.at(50, [token] {});  // never runs
        CHECK(token.use_count() == 4);
        q.run_until(10);
        CHECK(seen == std::vector<int>{7, 1});
        CHECK(token.use_count() == 2);
    }
    CHECK(token.use_count() == 1);
}

TEST_CASE("event queue: matches a sort by (time, insertion) with many events in flight", "[sim][event_queue]") {
    std::mt19937 rng(42);
    EventQueue q;
    std::vector<std::tuple<Time, int>> expected;  // (time, id); ids grow with insertion
    std::vector<int> ran;
    int next = 0;
    // Events schedule more events from inside, as the data path does.
    std::function<void(int)> spawn = [&](int depth) {
        const Time when = q.now() + Time(rng() % 4) * 10;
        const int id = next++;
        expected.emplace_back(when, id);
        q.at(when, [&, id, depth] {
            ran.push_back(id);
            if (depth < 3)
                for (int k = int(rng() % 3); k > 0; --k) spawn(depth + 1);
        });
    };
    for (int i = 0; i < 20000; ++i) spawn(0);
    q.run_until(1000000);
    // Each event's time is fixed when it is scheduled; the queue must run them in
    // nondecreasing time, and at one time in scheduling order.
    REQUIRE(ran.size() == expected.size());
    for (size_t k = 1; k < ran.size(); ++k) {
        const auto [ta, a] = expected[size_t(ran[k - 1])];
        const auto [tb, b] = expected[size_t(ran[k])];
        INFO(k);
        REQUIRE((ta < tb || (ta == tb && a < b)));
    }
}
