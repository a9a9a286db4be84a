#pragma once
// One request on a NETLINK_ROUTE socket and its answer, with the kernel's extended
// acknowledgement (its error sentence) when there is one.
#include <functional>
#include <memory>
#include <string>

struct nl_sock;
struct nl_msg;
struct nlmsghdr;

namespace vethlab::backend {

struct NlSockDeleter {
    void operator()(nl_sock* sk) const;
};
using NlSock = std::unique_ptr<nl_sock, NlSockDeleter>;

struct NlMsgDeleter {
    void operator()(nl_msg* msg) const;
};
using NlMsg = std::unique_ptr<nl_msg, NlMsgDeleter>;

// A NETLINK_ROUTE socket in the calling thread's namespace, asking for extended acks.
// Throws std::runtime_error if the socket cannot be opened.
NlSock open_route_socket();

struct NlReply {
    int error = 0;        // 0 or a negative errno
    std::string extack;   // the kernel's message, if it sent one
    bool ok() const { return error == 0; }
};

// Sends the request and reads until its acknowledgement (or, for a dump, its end);
// data messages go to on_message.
NlReply transact(nl_sock* sk, nl_msg* msg, const std::function<void(nlmsghdr*)>& on_message = {});

// What `ip` prints for a refusal: "Error: <extack>." or "RTNETLINK answers: <strerror>".
std::string ip_error_text(const NlReply& reply);

}  // namespace vethlab::backend
