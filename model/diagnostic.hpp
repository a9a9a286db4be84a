#pragma once
// Where something was written, and what is wrong with it: `file:line:col: message`.
#include <string>
#include <vector>

namespace vethlab {

struct SourceLoc {
    std::string file;
    int line = 0;  // 1-based; 0 when unknown
    int col = 0;   // 1-based; 0 when unknown

    std::string str() const;  // "file:line:col", dropping unknown parts
    bool operator==(const SourceLoc&) const = default;
};

struct Diagnostic {
    SourceLoc loc;
    std::string message;

    std::string str() const;  // "file:line:col: message"
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace vethlab
