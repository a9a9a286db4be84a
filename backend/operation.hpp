#pragma once
// One call on the Netlink interface, as a value: what a plan is made of. Each can be
// run, printed as the ip command(s) that do the same, and read back as model edits.
#include <string>
#include <variant>
#include <vector>

#include "backend/netlink.hpp"
#include "model/edit.hpp"

namespace vethlab::backend {

struct AddNetns {
    std::string ns;
    bool operator==(const AddNetns&) const = default;
};
struct DelNetns {
    std::string ns;
    bool operator==(const DelNetns&) const = default;
};
struct CreateVeth {
    VethEnd a;  // created in a.ns (the namespace whose socket sends the request)
    VethEnd b;
    bool operator==(const CreateVeth&) const = default;
};
struct CreateLink {  // tap, dummy or bridge
    std::string ns;
    std::string name;
    LinkKind kind = LinkKind::tap;
    LinkOpts opts;
    bool operator==(const CreateLink&) const = default;
};
struct DeleteLink {
    std::string ns;
    std::string name;
    bool operator==(const DeleteLink&) const = default;
};
struct SetLink {
    std::string ns;
    std::string name;
    LinkChange change;
    bool operator==(const SetLink&) const = default;
};
struct ChangeAddress {
    bool add = true;
    std::string ns;
    std::string dev;
    IfAddr addr;
    std::optional<Ipv4> broadcast;  // add only
    bool operator==(const ChangeAddress&) const = default;
};
struct ChangeRoute {
    std::string ns;
    RouteOp op = RouteOp::add;
    RouteSpec route;
    bool operator==(const ChangeRoute&) const = default;
};
struct SetSysctl {
    std::string ns;
    std::string key;
    std::string value;
    bool operator==(const SetSysctl&) const = default;
};

using Operation = std::variant<AddNetns, DelNetns, CreateVeth, CreateLink, DeleteLink, SetLink, ChangeAddress,
                               ChangeRoute, SetSysctl>;

Status run(Netlink& nl, const Operation& op);

// The model edits with the same effect (a veth whose peer starts up is a LinkAdd and
// a LinkSet: the kernel cannot create the peer up).
std::vector<EditOp> model_edits(const Operation& op);

// As ip commands, one a line.
std::vector<std::string> ip_commands(const Operation& op);

// Every namespace name the operation mentions gets `prefix` in front.
void add_prefix(Operation& op, const std::string& prefix);

// The operation an edit becomes when nothing is fused; nullopt for observations.
std::optional<Operation> operation_for(const EditOp& edit);

}  // namespace vethlab::backend
