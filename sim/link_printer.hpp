#pragma once
// What iproute2 6.1 prints for `ip link show` and `ip -4 address show` (and their `-br`
// forms) for one namespace of a NetState. Checked line by line against the kernel by
// tests/kernel_printer_test.cpp.
//
// The model is IPv4-only, so the address printer prints what `ip -4 addr` prints: no
// inet6 lines, no link/ether line, devices without an IPv4 address left out.
//
// Not derivable from a NetState (see the notes in link_printer.cpp): the qdisc of a device
// that was up and went down again (the kernel keeps noqueue/pfifo_fast; printed as noop),
// `brd` of addresses added with `brd +`, the kernel's lazily allocated netns ids (printed
// only for a peer in the unnamed initial namespace, as `link-netnsid N`), a tap's carrier
// when a process has it open.
#include <optional>
#include <string>

#include "model/netstate.hpp"

namespace vethlab::sim {

// `ip link show [dev]` / `ip -br link show [dev]`. With dev naming no device in ns: the
// message ip prints on stderr, `Device "X" does not exist.` (exit status 1).
std::string format_ip_link(const NetState& state, const Namespace& ns, bool brief,
                           const std::optional<std::string>& dev);
// `ip -4 address show [dev]` / `ip -br -4 address show [dev]`; same missing-device message.
std::string format_ip_addr(const NetState& state, const Namespace& ns, bool brief,
                           const std::optional<std::string>& dev);

// Whether format_ip_link/format_ip_addr would print the missing-device message.
bool ip_show_fails(const Namespace& ns, const std::optional<std::string>& dev);

}  // namespace vethlab::sim
