#pragma once
// The benchmarks' common topology: a full mesh of n namespaces, one veth pair per pair
// of namespaces created directly in both, a /30 on each end, every end up.
#include <string>

#include "model/netstate.hpp"

namespace vethlab::bench {

// The mesh as edits, in the order a script would run them: f(op) for each.
template <class F>
void for_each_mesh_edit(int n, F f) {
    for (int i = 0; i < n; ++i) f(EditOp{NetnsAdd{"n" + std::to_string(i)}});
    uint32_t subnet = (10u << 24);
    for (int i = 0; i < n; ++i) {
        const std::string a = "n" + std::to_string(i);
        for (int j = i + 1; j < n; ++j, subnet += 4) {
            const std::string b = "n" + std::to_string(j);
            const std::string ea = "v" + std::to_string(j), eb = "v" + std::to_string(i);
            f(EditOp{LinkAdd{.ns = a, .name = ea, .kind = LinkKind::veth, .up = true, .peer = eb, .peer_netns = b}});
            f(EditOp{AddrAdd{a, ea, IfAddr(Ipv4(subnet + 1), 30)}});
            f(EditOp{AddrAdd{b, eb, IfAddr(Ipv4(subnet + 2), 30)}});
            f(EditOp{LinkSet{.ns = b, .name = eb, .up = true}});
        }
    }
}

inline void build_full_mesh(NetState& st, int n) {
    for_each_mesh_edit(n, [&st](const EditOp& op) { st.apply(op); });
}

}  // namespace vethlab::bench
