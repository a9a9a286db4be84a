#include "model/diagnostic.hpp"

namespace vethlab {

std::string SourceLoc::str() const {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (col > 0) out += ":" + std::to_string(col);
    }
    return out;
}

std::string Diagnostic::str() const { return loc.str() + ": " + message; }

}  // namespace vethlab
