#include "backend/operation.hpp"

#include "model/ip_writer.hpp"

namespace vethlab::backend {
namespace {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

std::optional<bool> up_flag(bool up) { return up ? std::optional<bool>(true) : std::nullopt; }

}  // namespace

Status run(Netlink& nl, const Operation& op) {
    return std::visit(
        Overload{
            [&](const AddNetns& o) { return nl.add_netns(o.ns); },
            [&](const DelNetns& o) { return nl.del_netns(o.ns, true); },
            [&](const CreateVeth& o) { return nl.create_veth(o.a, o.b); },
            [&](const CreateLink& o) {
                if (o.kind == LinkKind::tap) return nl.create_tap(o.ns, o.name, o.opts);
                if (o.kind == LinkKind::bridge) return nl.create_bridge(o.ns, o.name, o.opts);
                return nl.create_dummy(o.ns, o.name, o.opts);
            },
            [&](const DeleteLink& o) { return nl.delete_link(o.ns, o.name); },
            [&](const SetLink& o) { return nl.set_link(o.ns, o.name, o.change); },
            [&](const ChangeAddress& o) {
                return o.add ? nl.add_address(o.ns, o.dev, o.addr, o.broadcast) : nl.del_address(o.ns, o.dev, o.addr);
            },
            [&](const ChangeRoute& o) { return nl.route(o.ns, o.op, o.route); },
            [&](const SetSysctl& o) { return nl.set_sysctl(o.ns, o.key, o.value); },
        },
        op);
}

std::vector<EditOp> model_edits(const Operation& op) {
    return std::visit(
        Overload{
            [](const AddNetns& o) -> std::vector<EditOp> { return {NetnsAdd{o.ns}}; },
            [](const DelNetns& o) -> std::vector<EditOp> { return {NetnsDel{o.ns}}; },
            [](const CreateVeth& o) -> std::vector<EditOp> {
                LinkAdd add;
                add.ns = o.a.ns;
                add.name = o.a.name;
                add.kind = LinkKind::veth;
                add.mtu = o.a.opts.mtu;
                add.mac = o.a.opts.mac;
                add.up = up_flag(o.a.opts.up);
                add.peer = o.b.name;
                if (o.b.ns != o.a.ns) add.peer_netns = o.b.ns;
                add.peer_mtu = o.b.opts.mtu;
                add.peer_mac = o.b.opts.mac;
                std::vector<EditOp> out{add};
                if (o.b.opts.up) out.push_back(LinkSet{.ns = o.b.ns, .name = o.b.name, .up = true});
                return out;
            },
            [](const CreateLink& o) -> std::vector<EditOp> {
                LinkAdd add;
                add.ns = o.ns;
                add.name = o.name;
                add.kind = o.kind;
                add.mtu = o.opts.mtu;
                add.mac = o.opts.mac;
                add.up = up_flag(o.opts.up);
                return {add};
            },
            [](const DeleteLink& o) -> std::vector<EditOp> { return {LinkDel{o.ns, o.name}}; },
            [](const SetLink& o) -> std::vector<EditOp> {
                const auto& c = o.change;
                return {LinkSet{o.ns, o.name, c.netns, c.new_name, c.mac, c.mtu, c.up, c.master}};
            },
            [](const ChangeAddress& o) -> std::vector<EditOp> {
                if (o.add) return {AddrAdd{o.ns, o.dev, o.addr, o.broadcast}};
                return {AddrDel{o.ns, o.dev, o.addr}};
            },
            [](const ChangeRoute& o) -> std::vector<EditOp> { return {RouteEdit{o.ns, o.op, o.route}}; },
            [](const SetSysctl& o) -> std::vector<EditOp> { return {SysctlSet{o.ns, o.key, o.value}}; },
        },
        op);
}

std::vector<std::string> ip_commands(const Operation& op) {
    std::vector<std::string> out;
    for (const auto& e : model_edits(op)) out.push_back(format_command(e));
    return out;
}

void add_prefix(Operation& op, const std::string& prefix) {
    auto fix = [&](std::string& ns) { ns = prefix + ns; };
    std::visit(Overload{
                   [&](CreateVeth& o) {
                       fix(o.a.ns);
                       fix(o.b.ns);
                   },
                   [&](SetLink& o) {
                       fix(o.ns);
                       if (o.change.netns) fix(*o.change.netns);
                   },
                   [&](auto& o) { fix(o.ns); },
               },
               op);
}

std::optional<Operation> operation_for(const EditOp& edit) {
    return std::visit(
        Overload{
            [](const NetnsAdd& e) -> std::optional<Operation> { return AddNetns{e.name}; },
            [](const NetnsDel& e) -> std::optional<Operation> { return DelNetns{e.name}; },
            [](const LinkAdd& e) -> std::optional<Operation> {
                const std::string home = e.netns.value_or(e.ns);
                const LinkOpts opts{e.mtu, e.mac, e.up.value_or(false)};
                if (e.kind != LinkKind::veth) return CreateLink{home, e.name, e.kind, opts};
                return CreateVeth{{home, e.name, opts},
                                  {e.peer_netns.value_or(e.ns), e.peer, LinkOpts{e.peer_mtu, e.peer_mac, false}}};
            },
            [](const LinkDel& e) -> std::optional<Operation> { return DeleteLink{e.ns, e.name}; },
            [](const LinkSet& e) -> std::optional<Operation> {
                return SetLink{e.ns, e.name, LinkChange{e.netns, e.new_name, e.mac, e.mtu, e.up, e.master}};
            },
            [](const AddrAdd& e) -> std::optional<Operation> { return ChangeAddress{true, e.ns, e.dev, e.addr, e.broadcast}; },
            [](const AddrDel& e) -> std::optional<Operation> { return ChangeAddress{false, e.ns, e.dev, e.addr}; },
            [](const RouteEdit& e) -> std::optional<Operation> { return ChangeRoute{e.ns, e.op, e.route}; },
            [](const SysctlSet& e) -> std::optional<Operation> { return SetSysctl{e.ns, e.key, e.value}; },
            [](const Ping&) -> std::optional<Operation> { return std::nullopt; },
            [](const Show&) -> std::optional<Operation> { return std::nullopt; },
            [](const Sleep&) -> std::optional<Operation> { return std::nullopt; },
        },
        edit);
}

}  // namespace vethlab::backend
