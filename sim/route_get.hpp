#pragma once
// The simulator's `ip route get DST` in a namespace (inet_rtm_getroute): the output
// route the twin would use, in the words the kernel answers with.
#include <string>

#include "model/route_answer.hpp"
#include "sim/kernel.hpp"

namespace vethlab::sim {

RouteAnswer route_get(Kernel& kernel, const NetState& state, const std::string& ns, Ipv4 dst);

}  // namespace vethlab::sim
