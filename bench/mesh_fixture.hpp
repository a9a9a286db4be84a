#pragma once
// The benchmarks' common topology: a full mesh of n namespaces, one veth pair per pair
// of namespaces created directly in both, a /30 on each end, every end up.
#include <string>

#include "model/netstate.hpp"

namespace vethlab::bench {

inline void build_full_mesh(NetState& st, int n) {
    for (int i = 0; i < n; ++i) st.apply(NetnsAdd{"n" + std::to_string(i)});
    uint32_t subnet = (10u << 24);
    for (int i = 0; i < n; ++i) {
        const std::string a = "n" + std::to_string(i);
        for (int j = i + 1; j < n; ++j, subnet += 4) {
            const std::string b = "n" + std::to_string(j);
            const std::string ea = "v" + std::to_string(j), eb = "v" + std::to_string(i);
            st.apply(LinkAdd{.ns = a, .name = ea, .kind = LinkKind::veth, .up = true, .peer = eb, .peer_netns = b});
            st.apply(AddrAdd{a, ea, IfAddr(Ipv4(subnet + 1), 30)});
            st.apply(AddrAdd{b, eb, IfAddr(Ipv4(subnet + 2), 30)});
            st.apply(LinkSet{.ns = b, .name = eb, .up = true});
        }
    }
}

}  // namespace vethlab::bench
