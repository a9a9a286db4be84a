#include "backend/netlink_fake.hpp"

#include <fmt/format.h>

namespace vethlab::backend {
namespace {

std::string opts_text(const LinkOpts& o) {
    std::string out;
    if (o.mtu) out += fmt::format(" mtu {}", *o.mtu);
    if (o.mac) out += " address " + o.mac->str();
    if (o.up) out += " up";
    return out;
}

}  // namespace

Status FakeNetlink::record(std::string call) {
    for (auto it = refusals_.begin(); it != refusals_.end(); ++it) {
        if (call.rfind(it->first, 0) != 0) continue;
        std::string message = it->second;
        refusals_.erase(it);
        calls.push_back(std::move(call) + " -> refused");
        return message;
    }
    calls.push_back(std::move(call));
    return std::nullopt;
}

Status FakeNetlink::add_netns(const std::string& ns) {
    if (auto err = record("netns add " + ns)) return err;
    if (!namespaces.insert(ns).second)
        return fmt::format("Cannot create namespace file \"/run/netns/{}\": File exists", ns);
    ids_[ns] = next_id_++;
    return std::nullopt;
}

Status FakeNetlink::del_netns(const std::string& ns, bool settle) {
    if (auto err = record("netns del " + ns + (settle ? " (settle)" : ""))) return err;
    if (!namespaces.erase(ns))
        return fmt::format("Cannot remove namespace file \"/run/netns/{}\": No such file or directory", ns);
    ids_.erase(ns);
    return std::nullopt;
}

std::optional<uint64_t> FakeNetlink::netns_id(const std::string& ns) {
    auto it = ids_.find(ns);
    if (it == ids_.end()) return namespaces.count(ns) ? std::optional<uint64_t>(1) : std::nullopt;
    return it->second;
}

Status FakeNetlink::create_veth(const VethEnd& a, const VethEnd& b) {
    return record(fmt::format("veth {}/{}{} -- {}/{}{}", a.ns, a.name, opts_text(a.opts), b.ns, b.name,
                              opts_text(b.opts)));
}

Status FakeNetlink::create_dummy(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return record(fmt::format("dummy {}/{}{}", ns, name, opts_text(opts)));
}

Status FakeNetlink::create_bridge(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return record(fmt::format("bridge {}/{}{}", ns, name, opts_text(opts)));
}

Status FakeNetlink::create_tap(const std::string& ns, const std::string& name, const LinkOpts& opts) {
    return record(fmt::format("tap {}/{}{}", ns, name, opts_text(opts)));
}

Status FakeNetlink::delete_link(const std::string& ns, const std::string& name) {
    return record(fmt::format("link del {}/{}", ns, name));
}

Status FakeNetlink::set_link(const std::string& ns, const std::string& name, const LinkChange& c) {
    std::string out = fmt::format("link set {}/{}", ns, name);
    if (c.netns) out += " netns " + *c.netns;
    if (c.new_name) out += " name " + *c.new_name;
    if (c.mac) out += " address " + c.mac->str();
    if (c.mtu) out += fmt::format(" mtu {}", *c.mtu);
    if (c.up) out += *c.up ? " up" : " down";
    if (c.master) out += c.master->empty() ? " nomaster" : " master " + *c.master;
    return record(out);
}

Status FakeNetlink::add_address(const std::string& ns, const std::string& dev, const IfAddr& addr,
                                std::optional<Ipv4> broadcast) {
    std::string out = fmt::format("addr add {}/{} {}", ns, dev, addr.str());
    if (broadcast) out += fmt::format(" brd {}", broadcast->str());
    return record(out);
}

Status FakeNetlink::del_address(const std::string& ns, const std::string& dev, const IfAddr& addr) {
    return record(fmt::format("addr del {}/{} {}", ns, dev, addr.str()));
}

Status FakeNetlink::route(const std::string& ns, RouteOp op, const RouteSpec& s) {
    std::string out = fmt::format("route {} {}", to_string(op), ns);
    if (s.type != RouteType::unicast) out += fmt::format(" {}", to_string(s.type));
    out += " " + s.dst.str();
    if (s.via) out += " via " + s.via->str();
    if (s.dev) out += " dev " + *s.dev;
    if (s.src) out += " src " + s.src->str();
    if (s.metric) out += fmt::format(" metric {}", *s.metric);
    if (s.table) out += " table " + table_name(*s.table);
    if (s.scope) out += fmt::format(" scope {}", to_string(*s.scope));
    return record(out);
}

Status FakeNetlink::set_sysctl(const std::string& ns, const std::string& key, const std::string& value) {
    return record(fmt::format("sysctl {} {}={}", ns, key, value));
}

}  // namespace vethlab::backend
