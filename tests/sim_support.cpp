#include "sim_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <sstream>

#include "model/ip_script.hpp"
#include "sim/ping_app.hpp"

namespace vethlab::testing {
namespace {

int seq_of(const std::string& line) {
    const auto pos = line.find("seq=");
    return pos == std::string::npos ? 0 : std::stoi(line.substr(pos + 4));
}

void sort_by_seq(std::vector<std::string>& lines) {
    std::stable_sort(lines.begin(), lines.end(),
                     [](const std::string& a, const std::string& b) { return seq_of(a) < seq_of(b); });
}

}  // namespace

void build(NetState& st, const std::string& script) {
    Parsed parsed = parse_ip_script(script, "scenario.sh");
    INFO(script);
    REQUIRE(parsed.ok());
    for (const auto& e : parsed.topology.edits) {
        if (e.is_observation()) continue;
        auto err = st.apply(e.op);
        INFO(e.text);
        REQUIRE_FALSE(err);
    }
}

sim::PingRun sim_ping(sim::Kernel& k, const NetState& st, const std::string& ns, const std::string& args) {
    Parsed parsed = parse_ip_script("ip netns exec " + ns + " ping " + args, "ping.sh");
    REQUIRE(parsed.ok());
    return sim::run_ping(k, std::get<Ping>(parsed.topology.edits.at(0).op), st);
}

std::vector<std::string> outcome(const sim::PingRun& run) {
    std::vector<std::string> out;
    if (run.fatal) return {"fatal " + *run.fatal};
    for (const auto& ev : run.events) {
        if (const auto* r = std::get_if<sim::PingReply>(&ev))
            out.push_back("reply seq=" + std::to_string(r->seq) + " ttl=" + std::to_string(r->ttl) + " from=" + r->from.str());
        else {
            const auto& e = std::get<sim::PingError>(ev);
            out.push_back("error seq=" + std::to_string(e.seq) + " from=" + e.from.str() + " " + e.what);
        }
    }
    sort_by_seq(out);
    return out;
}

std::vector<std::string> outcome_of_output(const std::string& text) {
    static const std::regex reply(R"(^\d+ bytes from ([\d.]+): icmp_seq=(\d+) ttl=(\d+) time=.*)");
    static const std::regex error(R"(^From ([\d.]+) icmp_seq=(\d+) (.*)$)");
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (line.rfind("ping: ", 0) == 0) return {"fatal " + line};
        if (std::regex_match(line, m, reply)) out.push_back("reply seq=" + m[2].str() + " ttl=" + m[3].str() + " from=" + m[1].str());
        else if (std::regex_match(line, m, error)) out.push_back("error seq=" + m[2].str() + " from=" + m[1].str() + " " + m[3].str());
    }
    sort_by_seq(out);
    return out;
}

}  // namespace vethlab::testing
