#pragma once
// Small helpers shared by the SVG writers.
#include <cstdint>
#include <string>
#include <string_view>

namespace vethlab::analysis {

std::string xml_escape(std::string_view text);
// A coordinate with two decimals at most, no trailing zeros: "12.5", "3".
std::string coord(double v);
// 1234567 -> "1,234,567".
std::string with_commas(uint64_t v);

}  // namespace vethlab::analysis
