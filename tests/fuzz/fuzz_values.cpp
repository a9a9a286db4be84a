// libFuzzer target: see vethlab::fuzz::values in entry_points.hpp for what it checks.
#include <cstdint>
#include <cstdlib>

#include "tests/fuzz/entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const int r = vethlab::fuzz::values(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r > 0) std::abort();  // a property broken: libFuzzer keeps the input as a crash
    return r;
}
