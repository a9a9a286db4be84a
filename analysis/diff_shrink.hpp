#pragma once
// Delta debugging (Zeller's ddmin) over the lines of an ip script: the smallest script
// found for which `still_fails` holds, removing chunks of lines, then single lines.
// Comment lines at the top are kept as they are.
#include <functional>
#include <string>

namespace vethlab::analysis {

struct ShrinkResult {
    std::string script;
    int runs = 0;  // calls of still_fails
};

// `still_fails(script)` must hold for the input. Stops after max_runs calls.
ShrinkResult shrink_script(const std::string& script, const std::function<bool(const std::string&)>& still_fails,
                           int max_runs = 300);

}  // namespace vethlab::analysis
