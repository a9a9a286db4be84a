#pragma once
// A lexer for the small bash subset vethlab reads: words with quotes and escapes,
// comments, backslash-newline continuations, and simple commands separated by newlines,
// ';' and '&&', each with its redirections and an optional trailing `|| true`.
// Positions are byte offsets into the text; a Locator turns them into line:column.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/diagnostic.hpp"

namespace vethlab::shell {

struct Token {
    enum class Kind { word, op };
    Kind kind = Kind::word;
    std::string text;  // the word after quote removal, or the operator as written
    size_t begin = 0;  // byte offset of the first character
    size_t end = 0;    // byte offset one past the last character
};

struct LexError {
    size_t at = 0;
    std::string message;
};

// One simple command as written.
struct Command {
    std::vector<Token> words;
    std::vector<std::pair<Token, Token>> redirects;  // operator, target word
    bool or_true = false;                            // ends with `|| true` (or `|| :`)
    size_t or_at = 0;                                // offset of that `||`
    size_t begin = 0;                                // raw span of words and redirections
    size_t end = 0;
};

struct Lexed {
    std::vector<Command> commands;  // commands with a syntax error are left out
    std::vector<LexError> errors;
};

Lexed lex_commands(std::string_view text);

// The same, one command at a time: a script of millions of lines is never held as
// tokens. Errors are complete once next() has returned false.
class CommandReader {
public:
    explicit CommandReader(std::string_view text);  // text must outlive the reader
    ~CommandReader();
    CommandReader(const CommandReader&) = delete;
    CommandReader& operator=(const CommandReader&) = delete;

    bool next(Command& out);  // false at the end
    const std::vector<LexError>& lex_errors() const;     // bad quotes, expansions
    const std::vector<LexError>& syntax_errors() const;  // operators, `||`, redirections

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The raw text of [begin, end) on one logical line: continuations become one space.
std::string logical_text(std::string_view text, size_t begin, size_t end);

// Byte offset -> file:line:column. Columns count characters (UTF-8 code points).
// In single-line mode every offset is on base.line, at column base.col + offset.
class Locator {
public:
    Locator(std::string_view text, SourceLoc base, bool single_line);
    SourceLoc at(size_t offset) const;

private:
    std::string_view text_;
    SourceLoc base_;
    bool single_line_;
    std::vector<size_t> line_starts_;
};

}  // namespace vethlab::shell
