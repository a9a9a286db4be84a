#include "model/shell_lexer.hpp"

#include <algorithm>
#include <deque>
#include <memory>

namespace vethlab::shell {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_op_char(char c) { return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool escapable_in_double_quotes(char c) { return c == '$' || c == '`' || c == '"' || c == '\\'; }

// Splits the text into words and operators (newline is the operator "\n"), one token
// at a time.
class Lexer {
public:
    Lexer(std::string_view s, std::vector<LexError>& errors) : s_(s), errors_(errors) {}

    // The next token, or false at the end of the text.
    bool next(Token& out) {
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (is_blank(c)) {
                ++i_;
            } else if (const size_t k = continuation(i_)) {
                i_ += k;
            } else if (c == '\n') {
                out = Token{Token::Kind::op, "\n", i_, i_ + 1};
                ++i_;
                return true;
            } else if (c == '#') {
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
            } else if (is_op_char(c) || io_number_ahead()) {
                out = lex_op();
                return true;
            } else {
                out = lex_word();
                return true;
            }
        }
        return false;
    }

private:
    // Length of a backslash-newline at i (also before CRLF), else 0.
    size_t continuation(size_t i) const {
        if (s_[i] != '\\' || i + 1 >= s_.size()) return 0;
        if (s_[i + 1] == '\n') return 2;
        if (s_[i + 1] == '\r' && i + 2 < s_.size() && s_[i + 2] == '\n') return 3;
        return 0;
    }

    // `2>file`: digits directly followed by a redirection operator.
    bool io_number_ahead() const {
        size_t j = i_;
        while (j < s_.size() && is_digit(s_[j])) ++j;
        return j > i_ && j < s_.size() && (s_[j] == '<' || s_[j] == '>');
    }

    Token lex_op() {
        const size_t start = i_;
        while (is_digit(s_[i_])) ++i_;
        static constexpr std::string_view two[] = {"&&", "||", "|&", ">>", ">&", ">|", "<<", "<&", "<>", "&>", ";;"};
        const std::string_view rest = s_.substr(i_);
        const bool pair = std::any_of(std::begin(two), std::end(two), [&](auto t) { return rest.starts_with(t); });
        i_ += pair ? 2 : 1;
        return Token{Token::Kind::op, std::string(s_.substr(start, i_ - start)), start, i_};
    }

    static bool plain(char c) {  // a character that stands for itself in a word
        return !is_blank(c) && c != '\n' && !is_op_char(c) && c != '\\' && c != '\'' && c != '"' && c != '$' &&
               c != '`';
    }

    Token lex_word() {
        Token t{Token::Kind::word, "", i_, i_};
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (plain(c)) {  // the common case: a run of plain characters in one append
                size_t j = i_ + 1;
                while (j < s_.size() && plain(s_[j])) ++j;
                t.text.append(s_.data() + i_, j - i_);
                i_ = j;
            } else if (const size_t k = continuation(i_)) {
                i_ += k;
            } else if (is_blank(c) || c == '\n' || is_op_char(c)) {
                break;
            } else if (c == '\\') {
                t.text += i_ + 1 < s_.size() ? s_[i_ + 1] : '\\';
                i_ += 2;
            } else if (c == '\'') {
                single_quoted(t.text);
            } else if (c == '"') {
                double_quoted(t.text);
            } else {
                expansion_check(c);
                t.text += c;
                ++i_;
            }
        }
        i_ = std::min(i_, s_.size());
        t.end = i_;
        return t;
    }

    void single_quoted(std::string& out) {
        const size_t open = i_;
        const size_t close = s_.find('\'', open + 1);
        if (close == std::string_view::npos) {
            errors_.push_back({open, "unterminated single quote"});
            out += s_.substr(open + 1);
            i_ = s_.size();
            return;
        }
        out += s_.substr(open + 1, close - open - 1);
        i_ = close + 1;
    }

    void double_quoted(std::string& out) {
        const size_t open = i_++;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == '"') {
                ++i_;
                return;
            }
            if (const size_t k = continuation(i_)) {
                i_ += k;
            } else if (c == '\\' && i_ + 1 < s_.size() && escapable_in_double_quotes(s_[i_ + 1])) {
                out += s_[i_ + 1];
                i_ += 2;
            } else {
                expansion_check(c);
                out += c;
                ++i_;
            }
        }
        errors_.push_back({open, "unterminated double quote"});
    }

    void expansion_check(char c) {
        if (c == '$') errors_.push_back({i_, "shell expansion '$' is not supported (no variables or substitutions)"});
        if (c == '`') errors_.push_back({i_, "command substitution '`' is not supported"});
    }

    std::string_view s_;
    std::vector<LexError>& errors_;
    size_t i_ = 0;
};

bool is_redirect(const std::string& op) { return op.find_first_of("<>") != std::string::npos; }
bool is_terminator(const Token& t) {
    return t.kind == Token::Kind::op && (t.text == "\n" || t.text == ";" || t.text == "&&");
}

std::string refusal(const std::string& op) {
    if (op == "|" || op == "|&") return "pipes ('|') are not supported";
    if (op == "&") return "background jobs ('&') are not supported";
    if (op == "(" || op == ")") return "subshells ('" + op + "') are not supported";
    return "unexpected '" + op + "'";
}

}  // namespace

// Groups tokens into commands as the lexer produces them (two tokens of lookahead, for
// `|| true` and redirections); a command with a syntax error is dropped.
struct CommandReader::Impl {
    explicit Impl(std::string_view text) : lexer(text, lex_errors) {}

    Lexer lexer;
    std::vector<LexError> lex_errors, split_errors;
    std::deque<Token> ahead;  // ahead[0] is the token being looked at
    Command cur;
    Command ready;
    bool has_ready = false;
    bool broken = false;
    bool ended = false;

    // ahead[i], lexing as far as needed; null past the end of the text.
    const Token* peek(size_t i) {
        while (ahead.size() <= i) {
            Token t;
            if (!lexer.next(t)) return nullptr;
            ahead.push_back(std::move(t));
        }
        return &ahead[i];
    }

    bool next(Command& out) {
        while (!has_ready) {
            if (!peek(0)) {
                if (ended) return false;
                ended = true;
                finish();
                continue;
            }
            step();
        }
        std::swap(out, ready);  // ready takes the caller's old buffers, to be filled again
        reset(ready);
        has_ready = false;
        return true;
    }

    // Empties a command but keeps its vectors' capacity: a script of millions of commands
    // otherwise grows a fresh word vector (five allocations) for each.
    static void reset(Command& c) {
        c.words.clear();
        c.redirects.clear();
        c.or_true = false;
        c.or_at = c.begin = c.end = 0;
    }

    void step() {
        Token t = std::move(ahead.front());
        ahead.pop_front();
        if (t.kind == Token::Kind::word)
            word(std::move(t));
        else if (is_terminator(t))
            terminate(t);
        else if (t.text == "||")
            or_true(t);
        else if (is_redirect(t.text))
            redirect(std::move(t));
        else
            fail(t.begin, refusal(t.text));
    }

    bool empty() const { return cur.words.empty() && cur.redirects.empty(); }

    void fail(size_t at, std::string message) {
        split_errors.push_back({at, std::move(message)});
        broken = true;
    }

    void word(Token t) {
        if (cur.or_true) return fail(t.begin, "unexpected word '" + t.text + "' after '|| true'");
        cur.words.push_back(std::move(t));
    }

    void terminate(const Token& t) {
        if (!empty() || broken) return finish();
        if (t.text != "\n") fail(t.begin, "unexpected '" + t.text + "'");
        broken = false;
    }

    void or_true(const Token& t) {
        const Token* after = peek(0);
        const bool next_true =
            after && after->kind == Token::Kind::word && (after->text == "true" || after->text == ":");
        const Token* then = next_true ? peek(1) : nullptr;
        const bool then_end = !then || is_terminator(*then);
        if (empty() || cur.or_true || !next_true || !then_end)
            return fail(t.begin, "'||' is only supported as '|| true' after an observation");
        cur.or_true = true;
        cur.or_at = t.begin;
        ahead.pop_front();  // the `true`
    }

    void redirect(Token t) {
        const Token* target = peek(0);
        if (!target || target->kind != Token::Kind::word)
            return fail(t.begin, "missing file name after '" + t.text + "'");
        cur.redirects.emplace_back(std::move(t), std::move(ahead.front()));
        ahead.pop_front();
    }

    // A command holding a bad quote or an expansion is not interpreted (one error, not
    // two). The lexer records errors in text order token by token, so the ones inside
    // this command are at the back, before any of the lookahead's.
    bool has_lex_error(const Command& c) const {
        for (auto e = lex_errors.rbegin(); e != lex_errors.rend() && e->at >= c.begin; ++e)
            if (e->at < c.end) return true;
        return false;
    }

    void finish() {
        if (!broken && !empty()) {
            cur.begin = cur.words.empty() ? cur.redirects.front().first.begin : cur.words.front().begin;
            for (const auto& w : cur.words) cur.end = std::max(cur.end, w.end);
            for (const auto& r : cur.redirects) cur.end = std::max(cur.end, r.second.end);
            if (!has_lex_error(cur)) {
                std::swap(ready, cur);
                has_ready = true;
            }
        }
        reset(cur);
        broken = false;
    }
};

CommandReader::CommandReader(std::string_view text) : impl_(std::make_unique<Impl>(text)) {}
CommandReader::~CommandReader() = default;
bool CommandReader::next(Command& out) { return impl_->next(out); }
const std::vector<LexError>& CommandReader::lex_errors() const { return impl_->lex_errors; }
const std::vector<LexError>& CommandReader::syntax_errors() const { return impl_->split_errors; }

Lexed lex_commands(std::string_view text) {
    Lexed out;
    CommandReader reader(text);
    Command c;
    while (reader.next(c)) out.commands.push_back(std::move(c));
    out.errors = reader.lex_errors();
    out.errors.insert(out.errors.end(), reader.syntax_errors().begin(), reader.syntax_errors().end());
    return out;
}

std::string logical_text(std::string_view text, size_t begin, size_t end) {
    end = std::min(end, text.size());
    begin = std::min(begin, end);
    // Most commands are one line: copied whole, not a character at a time.
    if (text.substr(begin, end - begin).find('\\') == std::string_view::npos)
        return std::string(text.substr(begin, end - begin));
    std::string out;
    for (size_t i = begin; i < end; ++i) {
        const bool cont = text[i] == '\\' && i + 1 < end && (text[i + 1] == '\n' || text[i + 1] == '\r');
        if (!cont) {
            out += text[i];
            continue;
        }
        while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
        out += ' ';
        i += text[i + 1] == '\r' ? 2 : 1;
        while (i + 1 < end && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
    }
    return out;
}

Locator::Locator(std::string_view text, SourceLoc base, bool single_line)
    : text_(text), base_(std::move(base)), single_line_(single_line) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') line_starts_.push_back(i + 1);
}

SourceLoc Locator::at(size_t offset) const {
    offset = std::min(offset, text_.size());
    size_t start = 0;
    int line = base_.line;
    if (!single_line_) {
        const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
        start = *(it - 1);
        line = int(it - line_starts_.begin());
    }
    int col = single_line_ ? base_.col : 1;
    for (size_t i = start; i < offset; ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
    return SourceLoc{base_.file, line, col};
}

}  // namespace vethlab::shell
