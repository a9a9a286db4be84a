// The ip-command script reader: script and command entry points, the top-level commands
// (sudo, set, echo), and the shared cursor and number helpers.
#include "model/ip_script.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "model/ip_script_detail.hpp"
#include "model/shell_lexer.hpp"

namespace vethlab {
namespace ipscript {

std::string show(std::string_view word) {
    std::string out;
    for (const char ch : word) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7f)
            out += fmt::format("\\x{:02x}", c);
        else
            out += ch;
    }
    return out;
}

std::optional<uint32_t> parse_uint(std::string_view text, int base) {
    if (base == 0) {
        base = 10;
        if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
            base = 16;
            text.remove_prefix(2);
        } else if (text.size() > 1 && text[0] == '0') {
            base = 8;
        }
    } else if (base == 16 && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
    }
    uint32_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return v;
}

std::optional<double> parse_seconds(std::string_view text) {
    double v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) || v < 0)
        return std::nullopt;
    return v;
}

const Word* Cursor::value(const Word& key) {
    if (done()) {
        error(key, fmt::format("'{}' needs a value", show(key.text)));
        return nullptr;
    }
    return &take();
}

std::optional<uint32_t> Cursor::number(const Word& key) {
    const Word* v = value(key);
    if (!v) return std::nullopt;
    auto n = parse_uint(v->text);
    if (!n) error(*v, fmt::format("'{}' needs a number, got '{}'", show(key.text), show(v->text)));
    return n;
}

void Cursor::error(const Word& at, std::string message) {
    errors_->push_back(Diagnostic{loc_ ? loc_->at(at.at) : SourceLoc{}, std::move(message)});
}

void Cursor::unexpected(const Word& w) {
    const Word* prev = &w == &words_.front() ? nullptr : &w - 1;
    if (prev)
        error(w, fmt::format("unexpected word '{}' after '{}'", show(w.text), show(prev->text)));
    else
        error(w, fmt::format("unexpected word '{}'", show(w.text)));
}

void parse_program(Cursor& c, const Ctx& ctx) {
    const Word& w = c.take();
    if (w.text == "ip")
        parse_ip(c, ctx);
    else if (w.text == "ping")
        parse_ping(c, ctx, w);
    else if (w.text == "route")
        parse_route_n(c, ctx, w);
    else if (w.text == "bridge")
        parse_bridge(c, ctx, w);
    else if (w.text == "sysctl")
        parse_sysctl(c, ctx, w);
    else if (w.text == "sleep")
        parse_sleep(c, ctx, w);
    else
        c.error(w, fmt::format("unknown command '{}'", show(w.text)));
}

namespace {

// `set -e`, `set -eu`, `set -x`, `set -o pipefail` ...: accepted, no edit.
void parse_set(Cursor& c, const Word& set) {
    if (c.done()) return c.error(set, "'set' without options changes nothing; expected e.g. 'set -e'");
    while (!c.done()) {
        const Word& w = c.take();
        if (w.text == "-o" || w.text == "+o") {
            const Word* opt = c.value(w);
            static constexpr std::string_view known[] = {"errexit", "nounset", "xtrace", "pipefail"};
            if (opt && std::find(std::begin(known), std::end(known), opt->text) == std::end(known))
                c.error(*opt, fmt::format("unsupported shell option 'set -o {}'", show(opt->text)));
        } else if (w.text.size() < 2 || (w.text[0] != '-' && w.text[0] != '+') ||
                   w.text.find_first_not_of("eux", 1) != std::string::npos) {
            c.error(w, fmt::format("unsupported shell option 'set {}' (only -e, -u, -x, -o)", show(w.text)));
        }
    }
}

struct CommandWords {
    std::vector<Word> words;
    std::vector<std::pair<Word, Word>> redirects;
};

// Words keep their offsets; only an error turns one into file:line:col.
CommandWords words_of(shell::Command& cmd) {
    CommandWords out;
    out.words.reserve(cmd.words.size());
    for (auto& t : cmd.words) out.words.push_back(Word{std::move(t.text), t.begin});
    for (auto& [op, target] : cmd.redirects)
        out.redirects.emplace_back(Word{std::move(op.text), op.begin}, Word{std::move(target.text), target.begin});
    return out;
}

// Everything a command can start with: sudo, set, echo, and the programs.
void parse_top(CommandWords& cw, Diagnostics& errors, const shell::Locator& loc, const Ctx& ctx) {
    Cursor c(std::move(cw.words), errors, &loc);
    if (c.peek().text == "sudo") {
        const Word& sudo = c.take();
        if (c.done()) return c.error(sudo, "'sudo' needs a command");
    }
    const bool echo = c.peek().text == "echo";
    if (!cw.redirects.empty() && !(echo && cw.redirects.size() == 1)) {
        const Word& op = cw.redirects[echo ? 1 : 0].first;
        return c.error(op, fmt::format("redirection '{}' is not supported (only 'echo VALUE > /proc/sys/...')",
                                       show(op.text)));
    }
    if (echo) {
        const Word& w = c.take();
        if (cw.redirects.empty()) return c.error(w, "'echo' is only supported as 'echo VALUE > /proc/sys/...'");
        return parse_echo(c, ctx, cw.redirects[0].first, cw.redirects[0].second);
    }
    if (c.peek().text == "set") {
        const Word& set = c.take();
        return parse_set(c, set);
    }
    parse_program(c, ctx);
}

void check_or_true(const shell::Command& cmd, const std::vector<EditOp>& ops, const shell::Locator& loc,
                   Diagnostics& errors) {
    if (!cmd.or_true) return;
    const bool observations = !ops.empty() && std::all_of(ops.begin(), ops.end(), [](const EditOp& op) {
        return std::holds_alternative<Ping>(op) || std::holds_alternative<Show>(op) || std::holds_alternative<Sleep>(op);
    });
    if (!observations)
        errors.push_back(Diagnostic{loc.at(cmd.or_at),
                                    "'|| true' is only supported after an observation (ping, route -n, ip ... show)"});
}

// One command's edits to the sink, or its errors to `errors`.
void interpret(shell::Command& cmd, std::string_view text, const shell::Locator& loc, Diagnostics& errors,
               const EditSink& sink) {
    CommandWords cw = words_of(cmd);
    if (cw.words.empty()) {
        errors.push_back(Diagnostic{loc.at(cw.redirects.front().first.at), "redirection without a command"});
        return;
    }
    const size_t first = cw.words.front().at;
    Diagnostics mine;
    std::vector<EditOp> ops;
    parse_top(cw, mine, loc, Ctx{"", false, &ops});
    if (mine.empty()) check_or_true(cmd, ops, loc, mine);
    if (!mine.empty()) {
        errors.insert(errors.end(), mine.begin(), mine.end());
        return;
    }
    SourceLoc at = loc.at(first);
    std::string line = shell::logical_text(text, cmd.begin, cmd.end);
    for (size_t i = 0; i + 1 < ops.size(); ++i) sink(Edit{std::move(ops[i]), at, line});
    if (!ops.empty()) sink(Edit{std::move(ops.back()), std::move(at), std::move(line)});  // most commands: one edit
}

Diagnostics run(std::string_view text, const shell::Locator& loc, const EditSink& sink) {
    shell::CommandReader reader(text);
    Diagnostics interpreted;  // the commands' own errors
    shell::Command cmd;
    while (reader.next(cmd)) interpret(cmd, text, loc, interpreted, sink);
    // As if the whole text were lexed first, then split, then interpreted; then by place.
    Diagnostics errors;
    errors.reserve(reader.lex_errors().size() + reader.syntax_errors().size() + interpreted.size());
    for (const auto& e : reader.lex_errors()) errors.push_back(Diagnostic{loc.at(e.at), e.message});
    for (const auto& e : reader.syntax_errors()) errors.push_back(Diagnostic{loc.at(e.at), e.message});
    errors.insert(errors.end(), std::make_move_iterator(interpreted.begin()), std::make_move_iterator(interpreted.end()));
    std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.loc.line, a.loc.col) < std::pair(b.loc.line, b.loc.col);
    });
    return errors;
}

Parsed collect(std::string_view text, const shell::Locator& loc, const std::string& file) {
    Parsed p;
    p.topology.file = file;
    p.errors = run(text, loc, [&p](Edit&& e) { p.topology.edits.push_back(std::move(e)); });
    return p;
}

}  // namespace
}  // namespace ipscript

Parsed parse_ip_script(std::string_view text, const std::string& file) {
    return ipscript::collect(text, shell::Locator(text, SourceLoc{file, 1, 1}, false), file);
}

Diagnostics stream_ip_script(std::string_view text, const std::string& file, const EditSink& sink) {
    return ipscript::run(text, shell::Locator(text, SourceLoc{file, 1, 1}, false), sink);
}

Parsed parse_ip_command(std::string_view command, const SourceLoc& at) {
    Parsed p = ipscript::collect(command, shell::Locator(command, at, true), at.file);
    if (p.ok() && p.topology.edits.empty()) p.errors.push_back(Diagnostic{at, "empty command"});
    return p;
}

}  // namespace vethlab
