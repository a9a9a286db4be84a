#include "model/shell_lexer.hpp"

#include <algorithm>

namespace vethlab::shell {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_op_char(char c) { return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool escapable_in_double_quotes(char c) { return c == '$' || c == '`' || c == '"' || c == '\\'; }

// Splits the text into words and operators (newline is the operator "\n").
class Lexer {
public:
    Lexer(std::string_view s, std::vector<LexError>& errors) : s_(s), errors_(errors) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (is_blank(c)) {
                ++i_;
            } else if (const size_t k = continuation(i_)) {
                i_ += k;
            } else if (c == '\n') {
                out.push_back(Token{Token::Kind::op, "\n", i_, i_ + 1});
                ++i_;
            } else if (c == '#') {
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
            } else if (is_op_char(c) || io_number_ahead()) {
                out.push_back(lex_op());
            } else {
                out.push_back(lex_word());
            }
        }
        return out;
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

    Token lex_word() {
        Token t{Token::Kind::word, "", i_, i_};
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (const size_t k = continuation(i_)) {
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

// Groups tokens into commands; a command with a syntax error is dropped.
class Splitter {
public:
    Splitter(const std::vector<Token>& tokens, Lexed& out) : t_(tokens), out_(out) {}

    void run() {
        for (k_ = 0; k_ < t_.size(); ++k_) {
            const Token& t = t_[k_];
            if (t.kind == Token::Kind::word)
                word(t);
            else if (is_terminator(t))
                terminate(t);
            else if (t.text == "||")
                or_true(t);
            else if (is_redirect(t.text))
                redirect(t);
            else
                fail(t.begin, refusal(t.text));
        }
        finish();
    }

private:
    bool empty() const { return cur_.words.empty() && cur_.redirects.empty(); }

    void fail(size_t at, std::string message) {
        out_.errors.push_back({at, std::move(message)});
        broken_ = true;
    }

    void word(const Token& t) {
        if (cur_.or_true) return fail(t.begin, "unexpected word '" + t.text + "' after '|| true'");
        cur_.words.push_back(t);
    }

    void terminate(const Token& t) {
        if (!empty() || broken_) return finish();
        if (t.text != "\n") fail(t.begin, "unexpected '" + t.text + "'");
        broken_ = false;
    }

    void or_true(const Token& t) {
        const bool next_true = k_ + 1 < t_.size() && t_[k_ + 1].kind == Token::Kind::word &&
                               (t_[k_ + 1].text == "true" || t_[k_ + 1].text == ":");
        const bool then_end = k_ + 2 >= t_.size() || is_terminator(t_[k_ + 2]);
        if (empty() || cur_.or_true || !next_true || !then_end)
            return fail(t.begin, "'||' is only supported as '|| true' after an observation");
        cur_.or_true = true;
        cur_.or_at = t.begin;
        ++k_;
    }

    void redirect(const Token& t) {
        if (k_ + 1 >= t_.size() || t_[k_ + 1].kind != Token::Kind::word)
            return fail(t.begin, "missing file name after '" + t.text + "'");
        cur_.redirects.emplace_back(t, t_[k_ + 1]);
        ++k_;
    }

    void finish() {
        if (!broken_ && !empty()) {
            cur_.begin = cur_.words.empty() ? cur_.redirects.front().first.begin : cur_.words.front().begin;
            for (const auto& w : cur_.words) cur_.end = std::max(cur_.end, w.end);
            for (const auto& r : cur_.redirects) cur_.end = std::max(cur_.end, r.second.end);
            out_.commands.push_back(std::move(cur_));
        }
        cur_ = Command{};
        broken_ = false;
    }

    const std::vector<Token>& t_;
    Lexed& out_;
    Command cur_;
    bool broken_ = false;
    size_t k_ = 0;
};

}  // namespace

Lexed lex_commands(std::string_view text) {
    Lexed out;
    const std::vector<Token> tokens = Lexer(text, out.errors).run();
    const size_t lex_errors = out.errors.size();
    Splitter(tokens, out).run();
    // A command holding a bad quote or an expansion is not interpreted (one error, not two).
    std::erase_if(out.commands, [&](const Command& c) {
        return std::any_of(out.errors.begin(), out.errors.begin() + long(lex_errors),
                           [&](const LexError& e) { return e.at >= c.begin && e.at < c.end; });
    });
    return out;
}

std::string logical_text(std::string_view text, size_t begin, size_t end) {
    std::string out;
    end = std::min(end, text.size());
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
