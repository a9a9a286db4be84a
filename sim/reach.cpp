#include "sim/reach.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <memory>

#include <fmt/format.h>

namespace vethlab::sim {

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
    return outcome_of_icmp(uint8_t(pkt.icmp.type), pkt.icmp.code).value_or(Outcome::host_unreachable);
}

}  // namespace

std::vector<ProbeResult> run_probes(Kernel& kernel, const std::vector<Probe>& probes, Time timeout, Wait wait,
                                    size_t wave) {
    return run_probes(kernel, std::vector<Probe>(probes), timeout, wait, wave);
}

std::vector<ProbeResult> run_probes(Kernel& kernel, std::vector<Probe>&& probes, Time timeout, Wait wait, size_t wave) {
    wave = std::max<size_t>(wave, 1);
    // Sockets hold a pointer into the results, which stay put until every socket is
    // unbound below.
    std::vector<ProbeResult> results(probes.size());
    std::unordered_map<int, uint16_t> next_id;  // by namespace id
    struct Bound {
        uint32_t probe;
        int ns;
        uint16_t id;
    };
    std::vector<Bound> bound;  // probes of this wave with a socket
    // Probes come grouped by namespace: its name is looked up once per group.
    const std::string* last_ns = nullptr;
    int ns = -1;
    for (size_t first = 0; first < probes.size(); first += wave) {
        const size_t last = std::min(probes.size(), first + wave);
        const Time start = kernel.now();
        bound.clear();
        size_t unanswered = 0;
        for (size_t i = first; i < last; ++i) {
            ProbeResult& r = results[i];
            r.probe = std::move(probes[i]);
            if (!last_ns || *last_ns != r.probe.ns) {
                ns = kernel.ns_id(r.probe.ns);
                last_ns = &r.probe.ns;
            }
            auto route = ns < 0 ? kernel.route_output(r.probe.ns, r.probe.dst)  // its error
                                : kernel.route_output(ns, r.probe.dst);
            if (!route) {
                r.outcome = Outcome::no_route;
                r.detail = route.error();
                continue;
            }
            const uint16_t id = ++next_id[ns];
            bound.push_back({uint32_t(i), ns, id});
            ++unanswered;
            kernel.bind_icmp(ns, id, [res = &r, &unanswered](const Ipv4Packet& pkt) {
                if (res->outcome != Outcome::silent) return;
                --unanswered;
                res->outcome = classify(pkt);
                if (res->outcome != Outcome::reply) res->detail = "from " + pkt.src.str();
            });
            kernel.send(ns,
                        Ipv4Packet{route->src, r.probe.dst, 64, Icmp{IcmpType::echo_request, 0, id, 1, {}}, start},
                        *route);
        }
        EventQueue& q = kernel.queue();
        if (wait == Wait::answers)
            q.run_while([&] { return unanswered > 0 && !q.empty() && q.next_due() <= start + timeout; });
        if (wait == Wait::timeout || unanswered > 0) q.run_until(start + timeout);
        for (const auto& b : bound) kernel.unbind_icmp(b.ns, b.id);
    }
    probes.clear();
    probes.shrink_to_fit();
    return results;
}

std::string format_matrix(const std::vector<ProbeResult>& results) {
    // Rows and columns in order of first appearance; indexes by hash, not by search.
    std::vector<std::string> rows, cols;
    std::unordered_map<std::string, size_t> row_of;
    std::unordered_map<uint32_t, size_t> col_of;
    std::vector<std::pair<size_t, size_t>> at;  // (row, col) of each result
    at.reserve(results.size());
    for (const auto& r : results) {
        auto [ri, new_row] = row_of.try_emplace(r.probe.ns, rows.size());
        if (new_row) rows.push_back(r.probe.ns);
        auto [ci, new_col] = col_of.try_emplace(r.probe.dst.value(), cols.size());
        if (new_col) cols.push_back(r.probe.dst.str());
        at.emplace_back(ri->second, ci->second);
    }
    std::string cells(rows.size() * cols.size(), ' ');  // the last result for a cell wins
    for (size_t i = 0; i < results.size(); ++i)
        cells[at[i].first * cols.size() + at[i].second] = outcome_letter(results[i].outcome);
    size_t width = 4;
    for (const auto& r : rows) width = std::max(width, r.size());
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i)
        out += fmt::format("{:>{}}  {} {}\n", "", width, std::string(i, '|') + "+", cols[i]);
    for (size_t r = 0; r < rows.size(); ++r) {
        out += fmt::format("{:>{}}  ", rows[r], width);
        out.append(cells, r * cols.size(), cols.size());
        out += "\n";
    }
    out += "\nr reply  h host unreachable  n net unreachable  p prohibited  t ttl exceeded  - no route  . silent\n";
    return out;
}

void write_peer_report(std::ostream& out, const std::vector<ProbeResult>& results) {
    size_t replies = 0;
    for (const auto& r : results) {
        if (r.outcome == Outcome::reply) {
            ++replies;
            continue;
        }
        out << r.probe.ns << " -> " << r.probe.dst.str() << " (" << r.probe.target << "): " << to_string(r.outcome);
        if (r.outcome == Outcome::no_route) out << " (connect: " << r.detail << ')';
        else if (!r.detail.empty()) out << ' ' << r.detail;
        out << '\n';
    }
    out << fmt::format("{} probes: {} replies, {} without\n", results.size(), replies, results.size() - replies);
}

}  // namespace vethlab::sim
