#pragma once
// Private to the ip-script reader (ip_script*.cpp): words with their locations, a cursor
// over a command's words that records errors, and the parsers of each command family.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/edit.hpp"
#include "model/shell_lexer.hpp"

namespace vethlab::ipscript {

struct Word {
    std::string text;
    size_t at = 0;  // byte offset in the text being read; a Locator makes it file:line:col
};

// A word as it can be shown in a message: control and non-ASCII bytes as \xNN.
std::string show(std::string_view word);

// iproute2's matches(): `arg` is a non-empty prefix of `full` ("l" matches "link").
// Inline, and the first byte decides most: a keyword table is scanned for every word
// (45 keys for `ip link`), and a million-line script spent a tenth of its reading in
// memcmp calls that failed at the first byte.
inline bool matches(std::string_view arg, std::string_view full) {
    return !arg.empty() && arg.size() <= full.size() && arg[0] == full[0] && full.starts_with(arg);
}

// strtoul-like with iproute2's get_u32 rules: base 0 accepts 0x.. (hex) and 0.. (octal).
std::optional<uint32_t> parse_uint(std::string_view text, int base = 0);
// A finite non-negative decimal number ("0.2", "3").
std::optional<double> parse_seconds(std::string_view text);

// One entry of an iproute2 keyword table, matched in table order like its if-chains.
template <class T>
struct Choice {
    std::string_view name;
    T value;
    bool exact = false;  // strcmp instead of matches()
};

template <class T, size_t N>
const Choice<T>* first_match(std::string_view arg, const Choice<T> (&table)[N]) {
    for (const auto& c : table)
        if (c.exact ? arg == c.name : matches(arg, c.name)) return &c;
    return nullptr;
}

// The words of one command, consumed left to right. Errors go to the diagnostics.
class Cursor {
public:
    // loc turns word offsets into locations for errors (none: errors carry no location).
    Cursor(std::vector<Word> words, Diagnostics& errors, const shell::Locator* loc = nullptr)
        : words_(std::move(words)), errors_(&errors), loc_(loc) {}

    bool done() const { return pos_ >= words_.size(); }
    const Word& peek() const { return words_[pos_]; }
    const Word& take() { return words_[pos_++]; }
    const Word& last() const { return words_[pos_ == 0 ? 0 : pos_ - 1]; }
    // The word after `key`, or an error "'key' needs a value" at key.
    const Word* value(const Word& key);
    // The value after `key` as a number, or an error "'key' needs a number, got 'x'".
    std::optional<uint32_t> number(const Word& key);

    void error(const Word& at, std::string message);
    void unexpected(const Word& w);  // "unexpected word 'w' after 'previous word'"
    size_t error_count() const { return errors_->size(); }

private:
    std::vector<Word> words_;
    size_t pos_ = 0;
    Diagnostics* errors_;
    const shell::Locator* loc_;
};

// The command being parsed: its namespace, `ip -br`, and where operations go.
struct Ctx {
    std::string ns;
    bool brief = false;
    std::vector<EditOp>* out = nullptr;
};

// Any command allowed after `ip netns exec NS`: ip, ping, route, bridge, sysctl.
void parse_program(Cursor& c, const Ctx& ctx);

void parse_ip(Cursor& c, Ctx ctx);                                   // ip_script_ip.cpp
void parse_netns(Cursor& c, const Ctx& ctx, const Word& object);
void parse_addr(Cursor& c, const Ctx& ctx, const Word& object);
void parse_neigh(Cursor& c, const Ctx& ctx, const Word& object);
void parse_link_show(Cursor& c, const Ctx& ctx);
// True when `ip link` would read this device name as one of its keywords ("up", "a").
bool is_link_keyword(std::string_view word);
void parse_link(Cursor& c, const Ctx& ctx, const Word& object);      // ip_script_link.cpp
void parse_tuntap(Cursor& c, const Ctx& ctx, const Word& object);
void parse_route(Cursor& c, const Ctx& ctx, const Word& object);     // ip_script_route.cpp
void parse_ping(Cursor& c, const Ctx& ctx, const Word& program);     // ip_script_tools.cpp
void parse_route_n(Cursor& c, const Ctx& ctx, const Word& program);
void parse_bridge(Cursor& c, Ctx ctx, const Word& program);  // bridge [-n NS] fdb show [br BR]
void parse_sysctl(Cursor& c, const Ctx& ctx, const Word& program);
void parse_sleep(Cursor& c, const Ctx& ctx, const Word& program);   // ip_script_tools.cpp
// `echo VALUE > /proc/sys/...`: the words after echo and the redirection.
void parse_echo(Cursor& c, const Ctx& ctx, const Word& redirect_op, const Word& target);

// The words after `ip route add|...`; false when an error was recorded.
bool parse_route_words(Cursor& c, RouteSpec& spec, const Word& verb);
// "net/ipv4/ip_forward" -> "net.ipv4.ip_forward"; an error message when not a net.* key.
std::optional<std::string> sysctl_key_error(std::string_view key);
std::string sysctl_key(std::string_view raw);

}  // namespace vethlab::ipscript
