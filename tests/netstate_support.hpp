#pragma once
// Shorthands for NetState tests: values from text, and an edit that must be accepted.
#include <catch2/catch.hpp>

#include "model/netstate.hpp"

namespace vethlab::testing {

inline IfAddr A(const char* s) { return IfAddr::parse(s).value(); }
inline Prefix P(const char* s) { return Prefix::parse(s).value(); }
inline Ipv4 I(const char* s) { return Ipv4::parse(s).value(); }

inline void ok(NetState& st, const EditOp& op) {
    auto err = st.apply(op);
    INFO(err.value_or(""));
    REQUIRE_FALSE(err);
}

}  // namespace vethlab::testing
