#include "backend/nl_request.hpp"

#include <linux/netlink.h>
#include <sys/socket.h>

#include <cstring>
#include <stdexcept>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

namespace vethlab::backend {
namespace {

struct Exchange {
    NlReply reply;
    bool done = false;
    const std::function<void(nlmsghdr*)>* on_message = nullptr;
};

// The TLVs after the error header: the original request follows unless the kernel
// capped it (NETLINK_CAP_ACK), then NLMSGERR_ATTR_MSG and friends.
std::string extack_message(const nlmsgerr* e) {
    const auto* nlh = reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(e) - NLMSG_HDRLEN);
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
    size_t offset = sizeof(nlmsgerr);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) offset += e->msg.nlmsg_len - NLMSG_HDRLEN;
    const size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
    if (offset >= payload) return {};
    nlattr* tb[NLMSGERR_ATTR_MAX + 1] = {};
    auto* attrs = reinterpret_cast<nlattr*>(const_cast<char*>(reinterpret_cast<const char*>(e) + offset));
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, int(payload - offset), nullptr) < 0) return {};
    if (!tb[NLMSGERR_ATTR_MSG]) return {};
    const char* text = static_cast<const char*>(nla_data(tb[NLMSGERR_ATTR_MSG]));
    return std::string(text, strnlen(text, size_t(nla_len(tb[NLMSGERR_ATTR_MSG]))));
}

int on_error(sockaddr_nl*, nlmsgerr* e, void* arg) {
    auto* x = static_cast<Exchange*>(arg);
    x->reply.error = e->error;
    x->reply.extack = extack_message(e);
    x->done = true;
    return NL_STOP;
}

int on_ack(nl_msg*, void* arg) {
    static_cast<Exchange*>(arg)->done = true;
    return NL_STOP;
}

int on_valid(nl_msg* msg, void* arg) {
    auto* x = static_cast<Exchange*>(arg);
    if (x->on_message && *x->on_message) (*x->on_message)(nlmsg_hdr(msg));
    return NL_OK;
}

}  // namespace

void NlSockDeleter::operator()(nl_sock* sk) const { nl_socket_free(sk); }
void NlMsgDeleter::operator()(nl_msg* msg) const { nlmsg_free(msg); }

NlSock open_route_socket() {
    NlSock sk(nl_socket_alloc());
    if (!sk) throw std::runtime_error("cannot allocate a netlink socket");
    if (int err = nl_connect(sk.get(), NETLINK_ROUTE); err < 0)
        throw std::runtime_error(std::string("cannot open a netlink socket: ") + nl_geterror(err));
    const int one = 1;
    const int fd = nl_socket_get_fd(sk.get());
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    return sk;
}

NlReply transact(nl_sock* sk, nl_msg* msg, const std::function<void(nlmsghdr*)>& on_message) {
    Exchange x;
    x.on_message = &on_message;
    // nl_socket_get_cb hands out a reference of its own.
    std::unique_ptr<nl_cb, void (*)(nl_cb*)> base(nl_socket_get_cb(sk), nl_cb_put);
    std::unique_ptr<nl_cb, void (*)(nl_cb*)> cb(nl_cb_clone(base.get()), nl_cb_put);
    if (!cb) return {-ENOMEM, {}};
    nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &x);
    nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
    nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_ack, &x);
    nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
    if (int err = nl_send_auto(sk, msg); err < 0) return {-EIO, std::string("cannot send: ") + nl_geterror(err)};
    while (!x.done) {
        const int err = nl_recvmsgs(sk, cb.get());
        if (err < 0 && !x.done) return {-EIO, std::string("cannot receive: ") + nl_geterror(err)};
    }
    return x.reply;
}

std::string ip_error_text(const NlReply& reply) {
    if (!reply.extack.empty()) {
        std::string out = "Error: " + reply.extack;
        if (out.back() != '.') out += '.';
        return out;
    }
    return std::string("RTNETLINK answers: ") + std::strerror(-reply.error);
}

}  // namespace vethlab::backend
