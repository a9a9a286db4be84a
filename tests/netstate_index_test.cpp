// NetState's private indexes (devices by name, local addresses, routes by table and
// destination, by device and by source) against what they index, through the edits
// that change it: renames, moves, deletions, link down, address deletion.
#include <catch2/catch.hpp>

#include <iterator>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/netstate.hpp"
#include "netstate_support.hpp"
#include "model/tag_table.hpp"

using namespace vethlab;
using testing::A;
using testing::I;
using testing::ok;
using testing::P;

namespace {


RouteEdit route(const char* ns, RouteOp op, const char* dst, const char* dev) {
    RouteEdit e{.ns = ns, .op = op};
    e.route.dst = P(dst);
    if (dev) e.route.dev = dev;
    return e;
}

const Link* dev(const NetState& st, const char* ns, const char* name) { return st.ns(ns)->link(name); }

}  // namespace

TEST_CASE("index: rename, then look up by the old and the new name", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, LinkAdd{.ns = "a", .name = "x", .kind = LinkKind::dummy});
    ok(st, LinkAdd{.ns = "a", .name = "y", .kind = LinkKind::dummy});
    const int x = dev(st, "a", "x")->ifindex, y = dev(st, "a", "y")->ifindex;
    ok(st, LinkSet{.ns = "a", .name = "x", .new_name = "z"});
    CHECK(dev(st, "a", "x") == nullptr);
    CHECK(dev(st, "a", "z")->ifindex == x);
    CHECK(st.apply(LinkSet{.ns = "a", .name = "z", .new_name = "y"}) == "RTNETLINK answers: File exists");
    // Swap the names through a third one; renaming to the same name changes nothing.
    ok(st, LinkSet{.ns = "a", .name = "y", .new_name = "x"});
    ok(st, LinkSet{.ns = "a", .name = "z", .new_name = "y"});
    ok(st, LinkSet{.ns = "a", .name = "y", .new_name = "y"});
    CHECK(dev(st, "a", "x")->ifindex == y);
    CHECK(dev(st, "a", "y")->ifindex == x);
    CHECK(dev(st, "a", "z") == nullptr);
    CHECK(st.ns("a")->ifname(x) == "y");
    ok(st, LinkDel{"a", "y"});
    CHECK(dev(st, "a", "y") == nullptr);
    CHECK(dev(st, "a", "x")->ifindex == y);
}

TEST_CASE("index: a move with a rename, into a namespace holding the old name", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, NetnsAdd{"b"});
    ok(st, LinkAdd{.ns = "a", .name = "x", .kind = LinkKind::veth, .peer = "p", .peer_netns = "b"});
    ok(st, LinkAdd{.ns = "b", .name = "x", .kind = LinkKind::dummy, .up = true});
    ok(st, AddrAdd{"a", "x", A("10.0.0.1/24")});
    ok(st, LinkSet{.ns = "a", .name = "x", .up = true});
    CHECK(st.ns("a")->has_local_address(I("10.0.0.1")));
    ok(st, LinkSet{.ns = "a", .name = "x", .netns = "b", .new_name = "y"});
    CHECK(dev(st, "a", "x") == nullptr);
    CHECK(dev(st, "b", "x")->kind == LinkKind::dummy);
    const Link* moved = dev(st, "b", "y");
    REQUIRE(moved);
    CHECK(moved->kind == LinkKind::veth);
    CHECK(st.ns("b")->link(moved->ifindex) == moved);
    // Its addresses and routes stayed behind and went; its peer follows it.
    CHECK_FALSE(st.ns("a")->has_local_address(I("10.0.0.1")));
    CHECK(st.ns("a")->routes.empty());
    CHECK(st.lookup(*st.ns("a"), I("10.0.0.1")) == nullptr);
    auto peer = st.peer(*st.ns("b"), *dev(st, "b", "p"));
    REQUIRE(peer);
    CHECK(peer->second == moved);
    // Back again, under the old name: a has it free.
    ok(st, LinkSet{.ns = "b", .name = "y", .netns = "a", .new_name = "x"});
    CHECK(dev(st, "b", "y") == nullptr);
    CHECK(dev(st, "a", "x")->kind == LinkKind::veth);
    CHECK(st.apply(LinkSet{.ns = "a", .name = "x", .netns = "b"}) == "RTNETLINK answers: File exists");
}

TEST_CASE("index: deleting a namespace with veths clears the peers' namespaces", "[netstate]") {
    NetState st;
    for (const char* n : {"hub", "s1", "s2"}) ok(st, NetnsAdd{n});
    int subnet = 0;
    for (const char* spoke : {"s1", "s2"}) {
        const std::string here = fmt::format("10.{}.0.1/24", subnet), there = fmt::format("10.{}.0.2/24", subnet);
        ok(st, LinkAdd{.ns = "hub", .name = spoke, .kind = LinkKind::veth, .up = true, .peer = "up",
                       .peer_netns = spoke});
        ok(st, AddrAdd{"hub", spoke, A(here.c_str())});
        ok(st, AddrAdd{spoke, "up", A(there.c_str())});
        ok(st, LinkSet{.ns = spoke, .name = "up", .up = true});
        ++subnet;
    }
    ok(st, route("s1", RouteOp::add, "10.9.0.0/16", "up"));
    CHECK(st.lookup(*st.ns("s1"), I("10.9.1.1")) != nullptr);
    ok(st, NetnsDel{"hub"});
    for (const char* spoke : {"s1", "s2"}) {
        const Namespace& n = *st.ns(spoke);
        CHECK(n.link("up") == nullptr);
        CHECK(n.links.size() == 1);
        CHECK(n.routes.empty());
        CHECK_FALSE(n.has_local_address(I("10.0.0.2")));
        CHECK_FALSE(n.has_local_address(I("10.1.0.2")));
        CHECK(st.lookup(n, I("10.9.1.1")) == nullptr);
    }
    // The names are free again, in the new namespace too.
    ok(st, NetnsAdd{"hub"});
    ok(st, LinkAdd{.ns = "hub", .name = "s1", .kind = LinkKind::veth, .peer = "up", .peer_netns = "s1"});
    CHECK(dev(st, "s1", "up") != nullptr);
}

TEST_CASE("index: routes after link down, address deletion and re-adding", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, LinkAdd{.ns = "a", .name = "d", .kind = LinkKind::dummy, .up = true});
    ok(st, AddrAdd{"a", "d", A("10.0.0.1/24")});
    ok(st, AddrAdd{"a", "d", A("10.0.0.2/24")});  // secondary
    ok(st, route("a", RouteOp::add, "10.5.0.0/16", "d"));
    const Namespace& a = *st.ns("a");
    CHECK(st.lookup(a, I("10.0.0.9"))->dst == P("10.0.0.0/24"));
    CHECK(st.lookup(a, I("10.0.0.2"))->type == RouteType::local);

    ok(st, LinkSet{.ns = "a", .name = "d", .up = false});
    CHECK(st.lookup(a, I("10.0.0.9")) == nullptr);
    CHECK(st.lookup(a, I("10.5.0.1")) == nullptr);
    CHECK(st.lookup(a, I("10.0.0.1"))->type == RouteType::local);  // host scope stays
    CHECK(st.apply(route("a", RouteOp::del, "10.5.0.0/16", nullptr)) == "RTNETLINK answers: No such process");
    ok(st, LinkSet{.ns = "a", .name = "d", .up = true});
    CHECK(st.lookup(a, I("10.0.0.9"))->dst == P("10.0.0.0/24"));
    ok(st, route("a", RouteOp::add, "10.5.0.0/16", "d"));  // the key is free again

    ok(st, AddrDel{"a", "d", A("10.0.0.1/24")});  // promote_secondaries is 0: 10.0.0.2 goes too
    CHECK_FALSE(a.has_local_address(I("10.0.0.1")));
    CHECK_FALSE(a.has_local_address(I("10.0.0.2")));
    CHECK(a.routes.empty());  // the last address: every route through d
    CHECK(st.lookup(a, I("10.0.0.2")) == nullptr);
    ok(st, AddrAdd{"a", "d", A("10.0.0.1/24")});
    CHECK(a.has_local_address(I("10.0.0.1")));
    CHECK(st.lookup(a, I("10.0.0.9"))->prefsrc == I("10.0.0.1"));
}

TEST_CASE("index: equality ignores index history, copies stay consistent", "[netstate]") {
    auto base = [] {
        NetState st;
        ok(st, NetnsAdd{"a"});
        ok(st, LinkAdd{.ns = "a", .name = "d", .kind = LinkKind::dummy, .up = true});
        return st;
    };
    NetState direct = base(), detour = base();
    ok(direct, AddrAdd{"a", "d", A("10.0.0.2/24")});
    ok(detour, AddrAdd{"a", "d", A("10.0.0.1/24")});
    ok(detour, AddrDel{"a", "d", A("10.0.0.1/24")});
    ok(detour, AddrAdd{"a", "d", A("10.0.0.2/24")});
    CHECK(direct == detour);

    NetState copy = detour;
    CHECK(copy == detour);
    ok(copy, LinkSet{.ns = "a", .name = "d", .new_name = "e"});
    ok(copy, route("a", RouteOp::add, "10.7.0.0/16", "e"));
    CHECK_FALSE(copy == detour);
    CHECK(detour.ns("a")->link("d") != nullptr);
    CHECK(detour.ns("a")->link("e") == nullptr);
    CHECK(copy.ns("a")->link("e") != nullptr);
    CHECK(copy.lookup(*copy.ns("a"), I("10.7.0.1"))->dst == P("10.7.0.0/16"));
    CHECK(detour.lookup(*detour.ns("a"), I("10.7.0.1")) == nullptr);
}

TEST_CASE("tag table: many entries sharing tags, erased in any order", "[netstate]") {
    std::mt19937_64 rng(7);
    TagTable table;
    std::multimap<uint32_t, uint32_t> reference;
    for (int i = 0; i < 20000; ++i) {
        const uint32_t tag = uint32_t(rng() % 64), value = uint32_t(rng() % 4096);
        if (rng() % 3) {
            table.insert(tag, value);
            reference.emplace(tag, value);
        } else {
            auto it = reference.find(tag);
            while (it != reference.end() && it->first == tag && it->second != value) ++it;
            const bool present = it != reference.end() && it->first == tag;
            REQUIRE(table.erase(tag, [&](uint32_t v) { return v == value; }) == present);
            if (present) reference.erase(it);
        }
        REQUIRE(table.size() == reference.size());
    }
    for (const auto& entry : reference) {  // no structured binding: clang 14 cannot capture one
        const uint32_t value = entry.second;
        CHECK(table.find(entry.first, [&](uint32_t v) { return v == value; }));
    }
    CHECK_FALSE(table.find(999));
}

TEST_CASE("route table: insertion order through erasure, slot reuse and replace", "[netstate]") {
    RouteTable t;
    auto r = [](const char* dst, uint32_t metric) {
        Route x;
        x.dst = P(dst);
        x.metric = metric;
        x.oif = 1;
        return x;
    };
    const auto h1 = t.push_back(r("10.0.0.0/8", 0));
    const auto h2 = t.push_back(r("10.0.0.0/8", 5));
    t.push_back(r("10.1.0.0/16", 0));
    t.erase(h1);
    t.push_back(r("10.0.0.0/8", 1));  // reuses h1's slot, goes last
    Route changed = r("10.0.0.0/8", 5);
    changed.oif = 2;
    t.replace(h2, changed);  // keeps its place
    using Order = std::vector<std::pair<std::string, uint32_t>>;
    Order order;
    for (const Route& x : t) order.emplace_back(x.dst.str(), x.metric);
    CHECK(order == Order{{"10.0.0.0/8", 5}, {"10.1.0.0/16", 0}, {"10.0.0.0/8", 1}});
    CHECK(std::prev(t.end())->metric == 1);
    CHECK(t.front().oif == 2);
    std::vector<uint32_t> same_dst;
    t.for_each_with_dst(kTableMain, P("10.0.0.0/8"), [&](const Route& x) { same_dst.push_back(x.metric); });
    CHECK(same_dst == std::vector<uint32_t>{5, 1});
    t.erase_oif_if(1, [](const Route&) { return true; });
    CHECK(t.size() == 1);
    CHECK(t.front().oif == 2);
    CHECK(t.prefix_lengths(kTableMain) == uint64_t(1) << 8);
    RouteTable moved = std::move(t);
    CHECK(moved.size() == 1);
    CHECK(t.empty());  // NOLINT(bugprone-use-after-move): moving leaves an empty table
    CHECK(t.begin() == t.end());
    t.push_back(r("10.2.0.0/16", 0));
    CHECK(t.size() == 1);
}

TEST_CASE("route table: push_back_unique appends once, last among its destination", "[netstate]") {
    RouteTable t;
    auto r = [](const char* dst, uint32_t metric, uint32_t table = kTableMain) {
        Route x;
        x.dst = P(dst);
        x.metric = metric;
        x.table = table;
        x.oif = 1;
        return x;
    };
    CHECK(t.push_back_unique(r("10.0.0.0/8", 0)) != RouteTable::kNone);
    CHECK(t.push_back_unique(r("10.0.0.0/8", 0)) == RouteTable::kNone);  // identical: refused
    const auto h = t.push_back_unique(r("10.0.0.0/8", 3));               // same dst, other metric
    CHECK(h != RouteTable::kNone);
    CHECK(t.push_back_unique(r("10.0.0.0/8", 0, kTableLocal)) != RouteTable::kNone);  // other table
    CHECK(t.size() == 3);
    CHECK(t.find(r("10.0.0.0/8", 3)) == h);
    std::vector<uint32_t> same_dst;
    t.for_each_with_dst(kTableMain, P("10.0.0.0/8"), [&](const Route& x) { same_dst.push_back(x.metric); });
    CHECK(same_dst == std::vector<uint32_t>{0, 3});
    t.erase(h);
    CHECK(t.push_back_unique(r("10.0.0.0/8", 0)) == RouteTable::kNone);
    CHECK(t.push_back_unique(r("10.0.0.0/8", 3)) != RouteTable::kNone);  // gone, so welcome again
    CHECK(t.size() == 3);
    CHECK(t.prefix_lengths(kTableMain) == uint64_t(1) << 8);
    CHECK(t.prefix_lengths(kTableLocal) == uint64_t(1) << 8);
    // The same answers as find + push_back on a random stream of routes.
    std::mt19937 rng(7);
    RouteTable a, b;
    for (int i = 0; i < 2000; ++i) {
        const Route x = r(fmt::format("10.{}.0.0/16", rng() % 40).c_str(), rng() % 3, rng() % 2 ? kTableMain : 7);
        const bool fresh = b.find(x) == RouteTable::kNone;
        if (fresh) b.push_back(x);
        CHECK((a.push_back_unique(x) != RouteTable::kNone) == fresh);
    }
    CHECK(a == b);
}

TEST_CASE("index: devices numbered past the dense range", "[netstate]") {
    NetState st;
    ok(st, NetnsAdd{"a"});
    ok(st, NetnsAdd{"b"});
    for (int i = 0; i < 4100; ++i) ok(st, LinkAdd{.ns = "a", .name = fmt::format("d{}", i), .kind = LinkKind::dummy});
    const int high = dev(st, "a", "d4099")->ifindex;
    REQUIRE(high > 4096);
    for (const char* ns : {"a", "b"}) {
        ok(st, LinkSet{.ns = ns, .name = "d4099", .up = true});
        ok(st, AddrAdd{ns, "d4099", A("10.0.0.1/24")});
        ok(st, route(ns, RouteOp::add, "10.5.0.0/16", "d4099"));
        CHECK(st.lookup(*st.ns(ns), I("10.5.0.1"))->oif == high);
        CHECK(st.lookup(*st.ns(ns), I("10.0.0.7"))->oif == high);
        ok(st, LinkSet{.ns = ns, .name = "d4099", .up = false});
        CHECK(st.lookup(*st.ns(ns), I("10.5.0.1")) == nullptr);
        CHECK(st.lookup(*st.ns(ns), I("10.0.0.1"))->oif == high);  // the local route stays
        if (std::string(ns) == "a") ok(st, LinkSet{.ns = "a", .name = "d4099", .netns = "b"});
    }
    CHECK(dev(st, "b", "d4099")->ifindex == high);  // kept: free in b
    ok(st, NetnsDel{"b"});
    CHECK(dev(st, "a", "d4099") == nullptr);
}
