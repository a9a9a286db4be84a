#include "backend/prober.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <random>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/icmp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>

#include "backend/icmp_packet.hpp"
#include "backend/netns.hpp"

namespace vethlab::backend {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// A raw ICMP socket created inside the namespace by a thread that joined it.
Result<int> open_raw_icmp(const std::string& ns) {
    auto fd = open_netns(ns);
    if (!fd) return Error{fd.error()};
    int sock = -1, err = 0;
    if (auto why = run_in_netns(fd.value().get(), [&] {
            sock = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMP);
            err = errno;
        }))
        return Error{fmt::format("{}: {}", ns, *why)};
    if (sock < 0) return Error{fmt::format("{}: raw ICMP socket: {}", ns, std::strerror(err))};
    const int rcvbuf = 4 << 20;  // a burst of answers must not overflow the queue
    ::setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    return sock;
}

class Run {
public:
    Run(const std::vector<KernelProbe>& probes, const ProberOptions& opts) : probes_(probes), opts_(opts) {
        answers_.resize(probes.size());
        std::random_device rd;
        id_base_ = uint16_t(rd());
    }

    std::optional<std::string> open() {
        for (const auto& p : probes_) {
            if (by_name_.count(p.ns)) continue;
            auto fd = open_raw_icmp(p.ns);
            if (!fd) return fd.error();
            auto s = std::make_unique<Socket>(io_);
            s->sock.assign(asio::ip::icmp::v4(), fd.value());
            by_name_[p.ns] = s.get();
            sockets_.push_back(std::move(s));
        }
        return std::nullopt;
    }

    ProbeRun go() {
        start_ = Clock::now();
        sock_of_.reserve(probes_.size());
        sent_at_.assign(probes_.size(), start_);
        timers_.reserve(probes_.size());
        for (size_t i = 0; i < probes_.size(); ++i) {
            sock_of_.push_back(by_name_.at(probes_[i].ns));
            timers_.emplace_back(io_);
        }
        pending_ = probes_.size();
        for (auto& s : sockets_) receive(*s);
        for (size_t i = 0; i < probes_.size(); ++i) {
            timers_[i].expires_at(start_ + probes_[i].send_after);
            timers_[i].async_wait([this, i](const boost::system::error_code& ec) {
                if (!ec) send(i);
            });
        }
        if (pending_ == 0) close_all();
        io_.run();
        ProbeRun out;
        out.answers = std::move(answers_);
        out.seconds = probes_.empty() ? 0 : std::chrono::duration<double>(last_ - start_).count();
        return out;
    }

private:
    struct Socket {
        explicit Socket(asio::io_context& io) : sock(io) {}
        asio::ip::icmp::socket sock;
        asio::ip::icmp::endpoint from;
        std::array<uint8_t, 2048> buf{};
    };

    uint16_t id_of(size_t i) const { return uint16_t(id_base_ + (i >> 16)); }
    uint16_t seq_of(size_t i) const { return uint16_t(i & 0xffff); }

    void send(size_t i) {
        const auto packet = echo_request(id_of(i), seq_of(i), opts_.payload);
        const asio::ip::icmp::endpoint to(asio::ip::address_v4(probes_[i].dst.value()), 0);
        boost::system::error_code ec;
        sent_at_[i] = Clock::now();
        sock_of_[i]->sock.send_to(asio::buffer(packet), to, 0, ec);
        if (ec) {
            // ENETUNREACH (no route) and the like: what connect() would have said.
            finish(i, ProbeOutcome::no_route, ec.message(), Ipv4());
            return;
        }
        timers_[i].expires_at(sent_at_[i] + opts_.timeout);
        timers_[i].async_wait([this, i](const boost::system::error_code& e) {
            if (!e) finish(i, ProbeOutcome::silent, "", Ipv4());
        });
    }

    void receive(Socket& s) {
        s.sock.async_receive_from(asio::buffer(s.buf), s.from, [this, &s](const boost::system::error_code& ec, size_t n) {
            if (ec == asio::error::operation_aborted || !s.sock.is_open()) return;  // closed: all answered
            if (!ec)
                if (auto seen = parse_icmp(std::span<const uint8_t>(s.buf.data(), n))) match(s, *seen);
            if (pending_ > 0) receive(s);
        });
    }

    void match(const Socket& s, const IcmpSeen& seen) {
        const uint16_t high = uint16_t(seen.id - id_base_);
        const size_t i = size_t(high) << 16 | seen.seq;
        if (i >= probes_.size() || sock_of_[i] != &s || done(i) || seen.echo_dst != probes_[i].dst) return;
        const auto outcome = outcome_of_icmp(seen.type, seen.code);
        if (!outcome) return;
        finish(i, *outcome, *outcome == ProbeOutcome::reply ? "" : "from " + seen.from.str(), seen.from);
    }

    bool done(size_t i) const { return finished_.size() > i && finished_[i]; }

    void finish(size_t i, ProbeOutcome outcome, std::string detail, Ipv4 from) {
        if (finished_.empty()) finished_.assign(probes_.size(), false);
        if (finished_[i]) return;
        finished_[i] = true;
        last_ = Clock::now();
        auto& a = answers_[i];
        a.outcome = outcome;
        a.detail = std::move(detail);
        a.from = from;
        if (outcome != ProbeOutcome::silent && outcome != ProbeOutcome::no_route)
            a.rtt_ms = std::chrono::duration<double, std::milli>(last_ - sent_at_[i]).count();
        timers_[i].cancel();
        if (--pending_ == 0) close_all();
    }

    void close_all() {
        for (auto& s : sockets_) {
            boost::system::error_code ignored;
            s->sock.close(ignored);
        }
    }

    const std::vector<KernelProbe>& probes_;
    const ProberOptions& opts_;
    asio::io_context io_;
    std::vector<std::unique_ptr<Socket>> sockets_;
    std::map<std::string, Socket*> by_name_;
    std::vector<Socket*> sock_of_;
    std::vector<asio::steady_timer> timers_;
    std::vector<Clock::time_point> sent_at_;
    std::vector<bool> finished_;
    std::vector<KernelAnswer> answers_;
    size_t pending_ = 0;
    uint16_t id_base_ = 0;
    Clock::time_point start_{}, last_{};
};

}  // namespace

Result<ProbeRun> probe_kernel(const std::vector<KernelProbe>& probes, const ProberOptions& opts) {
    Run run(probes, opts);
    if (auto err = run.open()) return Error{*err};
    return run.go();
}

}  // namespace vethlab::backend
