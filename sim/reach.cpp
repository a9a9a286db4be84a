#include "sim/reach.hpp"

#include <map>
#include <memory>

#include <fmt/format.h>

namespace vethlab::sim {

std::string_view to_string(Outcome o) {
    switch (o) {
        case Outcome::reply: return "reply";
        case Outcome::host_unreachable: return "host-unreachable";
        case Outcome::net_unreachable: return "net-unreachable";
        case Outcome::prohibited: return "prohibited";
        case Outcome::ttl_exceeded: return "ttl-exceeded";
        case Outcome::no_route: return "no-route";
        case Outcome::silent: return "silent";
    }
    return "silent";
}

std::vector<Probe> all_pairs(const NetState& st) {
    std::vector<Probe> targets;
    for (const auto& [name, ns] : st.namespaces())
        for (const auto& l : ns.links)
            for (const auto& a : l.addrs)
                if (!name.empty() && !a.addr.local().is_loopback())
                    targets.push_back({"", a.addr.local(), name + ":" + l.name});
    std::vector<Probe> out;
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        for (const auto& t : targets) out.push_back({name, t.dst, t.target});
    }
    return out;
}

std::vector<Probe> peer_probes(const NetState& st) {
    std::vector<Probe> out;
    for (const auto& [name, ns] : st.namespaces()) {
        if (name.empty()) continue;
        for (const auto& l : ns.links) {
            auto peer = st.peer(ns, l);
            if (!peer) continue;
            for (const auto& a : peer->second->addrs)
                out.push_back({name, a.addr.local(), peer->first->name + ":" + peer->second->name});
        }
    }
    return out;
}

namespace {

Outcome classify(const Ipv4Packet& pkt) {
    if (pkt.icmp.type == IcmpType::echo_reply) return Outcome::reply;
    if (pkt.icmp.type == IcmpType::time_exceeded) return Outcome::ttl_exceeded;
    switch (UnreachCode(pkt.icmp.code)) {
        case UnreachCode::net: return Outcome::net_unreachable;
        case UnreachCode::filtered: return Outcome::prohibited;
        default: return Outcome::host_unreachable;
    }
}

}  // namespace

std::vector<ProbeResult> run_probes(Kernel& kernel, const std::vector<Probe>& probes, Time timeout) {
    auto results = std::make_shared<std::vector<ProbeResult>>(probes.size());
    std::map<std::string, uint16_t> next_id;
    std::vector<std::pair<std::string, uint16_t>> bound;
    const Time start = kernel.now();
    for (size_t i = 0; i < probes.size(); ++i) {
        ProbeResult& r = (*results)[i];
        r.probe = probes[i];
        auto route = kernel.route_output(probes[i].ns, probes[i].dst);
        if (!route) {
            r.outcome = Outcome::no_route;
            r.detail = route.error();
            continue;
        }
        const uint16_t id = ++next_id[probes[i].ns];
        bound.emplace_back(probes[i].ns, id);
        kernel.bind_icmp(probes[i].ns, id, [results, i](const Ipv4Packet& pkt) {
            ProbeResult& res = (*results)[i];
            if (res.outcome != Outcome::silent) return;
            res.outcome = classify(pkt);
            if (res.outcome != Outcome::reply) res.detail = "from " + pkt.src.str();
        });
        kernel.send(probes[i].ns, Ipv4Packet{route->src, probes[i].dst, 64, Icmp{IcmpType::echo_request, 0, id, 1, {}}, start},
                    *route);
    }
    kernel.queue().run_until(start + timeout);
    for (const auto& [ns, id] : bound) kernel.unbind_icmp(ns, id);
    return std::move(*results);
}

std::string format_matrix(const std::vector<ProbeResult>& results) {
    std::vector<std::string> rows, cols;
    std::map<std::pair<std::string, std::string>, char> cell;
    auto letter = [](Outcome o) {
        constexpr std::string_view letters = "rhnpt-.";
        return letters[size_t(o)];
    };
    for (const auto& r : results) {
        const std::string col = r.probe.dst.str();
        if (std::find(rows.begin(), rows.end(), r.probe.ns) == rows.end()) rows.push_back(r.probe.ns);
        if (std::find(cols.begin(), cols.end(), col) == cols.end()) cols.push_back(col);
        cell[{r.probe.ns, col}] = letter(r.outcome);
    }
    size_t width = 4;
    for (const auto& r : rows) width = std::max(width, r.size());
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i)
        out += fmt::format("{:>{}}  {} {}\n", "", width, std::string(i, '|') + "+", cols[i]);
    for (const auto& r : rows) {
        out += fmt::format("{:>{}}  ", r, width);
        for (const auto& c : cols) out += cell.count({r, c}) ? cell.at({r, c}) : ' ';
        out += "\n";
    }
    out += "\nr reply  h host unreachable  n net unreachable  p prohibited  t ttl exceeded  - no route  . silent\n";
    return out;
}

}  // namespace vethlab::sim
