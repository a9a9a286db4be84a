#pragma once
// What backend tests share: a throwaway state directory for lab journals, and
// topologies from text.
#include <string>

#include "model/topology.hpp"

namespace vethlab::testing {

// A fresh directory under /tmp, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Parses an ip script (or YAML) written to a temporary file of that name; the
// topology must be well formed and accepted by the model.
Topology topology_from(const std::string& file_name, const std::string& text);

std::string example(const std::string& name);  // path of examples/NAME

}  // namespace vethlab::testing
