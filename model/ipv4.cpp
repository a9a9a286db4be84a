#include "model/ipv4.hpp"

#include <charconv>

namespace vethlab {
namespace {

Result<int> parse_len(std::string_view text, std::string_view whole) {
    int len = -1;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), len);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || len < 0 || len > 32)
        return Error{"invalid prefix length in '" + std::string(whole) + "' (0..32)"};
    return len;
}

}  // namespace

Result<Ipv4> Ipv4::parse(std::string_view text) {
    uint32_t value = 0;
    std::string_view rest = text;
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (rest.empty() || rest.front() != '.') break;
            rest.remove_prefix(1);
        }
        size_t n = 0;
        while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
        if (n == 0 || n > 3) return Error{"invalid IPv4 address '" + std::string(text) + "'"};
        unsigned octet = 0;
        std::from_chars(rest.data(), rest.data() + n, octet);
        if (octet > 255)
            return Error{"invalid IPv4 address '" + std::string(text) + "': " + std::to_string(octet) +
                         " is not an octet (0..255)"};
        value = (value << 8) | octet;
        rest.remove_prefix(n);
        if (i == 3 && rest.empty()) return Ipv4(value);
    }
    return Error{"invalid IPv4 address '" + std::string(text) + "'"};
}

std::string Ipv4::str() const {
    return std::to_string(v_ >> 24) + "." + std::to_string((v_ >> 16) & 255) + "." +
           std::to_string((v_ >> 8) & 255) + "." + std::to_string(v_ & 255);
}

Result<Prefix> Prefix::parse(std::string_view text) {
    if (text == "default" || text == "all" || text == "any") return Prefix();
    const auto slash = text.find('/');
    auto addr = Ipv4::parse(text.substr(0, slash));
    if (!addr) return Error{addr.error()};
    int len = 32;
    if (slash != std::string_view::npos) {
        auto l = parse_len(text.substr(slash + 1), text);
        if (!l) return Error{l.error()};
        len = *l;
    }
    if ((addr->value() & ~prefix_mask(len)) != 0)
        return Error{"'" + std::string(text) + "' has host bits set: Invalid prefix for given prefix length."};
    return Prefix(*addr, len);
}

std::string Prefix::str() const {
    if (len_ == 0 && net_.is_zero()) return "default";
    if (len_ == 32) return net_.str();
    return net_.str() + "/" + std::to_string(len_);
}

Result<IfAddr> IfAddr::parse(std::string_view text) {
    const auto slash = text.find('/');
    auto addr = Ipv4::parse(text.substr(0, slash));
    if (!addr) return Error{addr.error()};
    int len = 32;
    if (slash != std::string_view::npos) {
        auto l = parse_len(text.substr(slash + 1), text);
        if (!l) return Error{l.error()};
        len = *l;
    }
    return IfAddr(*addr, len);
}

std::string IfAddr::str() const { return local_.str() + "/" + std::to_string(len_); }

Result<std::optional<Ipv4>> parse_broadcast(std::string_view text, const IfAddr& addr) {
    if (text == "+" || text == "-") {
        if (addr.len() > 30) return std::optional<Ipv4>();
        return std::optional<Ipv4>(text == "+" ? addr.prefix().last() : addr.prefix().network());
    }
    auto b = Ipv4::parse(text);
    if (!b) return Error{"invalid broadcast '" + std::string(text) + "' (an IPv4 address, '+' or '-')"};
    return std::optional<Ipv4>(*b);
}

}  // namespace vethlab
