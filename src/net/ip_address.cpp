#include "net/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "base/strings.h"

namespace berth::net {
namespace {

Uint128 mask_for(int length, int max_length) {
  if (length <= 0) return 0;
  Uint128 all = max_length == 32 ? Uint128{0xffffffffu} : ~Uint128{0};
  return (all << (max_length - length)) & all;
}

}  // namespace

std::string_view family_name(Family family) {
  return family == Family::kV4 ? "IPv4" : "IPv6";
}

IpAddress IpAddress::v4(uint32_t host_order) {
  return from_number(Family::kV4, host_order);
}

IpAddress IpAddress::from_number(Family family, Uint128 value) {
  IpAddress a;
  a.family_ = family;
  a.number_ = family == Family::kV4 ? (value & 0xffffffffu) : value;
  return a;
}

IpAddress IpAddress::from_bytes(Family family, const uint8_t* bytes) {
  size_t n = family == Family::kV4 ? 4 : 16;
  Uint128 value = 0;
  for (size_t i = 0; i < n; ++i) value = (value << 8) | bytes[i];
  return from_number(family, value);
}

IpAddress IpAddress::any(Family family) {
  return from_number(family, 0);
}

Result<IpAddress> IpAddress::parse(std::string_view text) {
  std::string s(text);
  uint8_t buf[16];
  if (s.find(':') == std::string::npos) {
    if (::inet_pton(AF_INET, s.c_str(), buf) == 1) return from_bytes(Family::kV4, buf);
  } else if (::inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    return from_bytes(Family::kV6, buf);
  }
  return make_error(ErrorCode::kInvalidArgument, "invalid IP address: {}", text);
}

bool IpAddress::is_loopback() const {
  if (is_v4()) return (v4_number() >> 24) == 127;
  return number_ == 1;
}

bool IpAddress::is_link_local() const {
  if (is_v4()) return (v4_number() >> 16) == 0xa9fe;
  return (number_ >> 118) == 0x3fa;  // fe80::/10
}

std::array<uint8_t, 16> IpAddress::bytes() const {
  std::array<uint8_t, 16> out{};
  size_t n = byte_length();
  Uint128 v = number_;
  for (size_t i = n; i-- > 0;) {
    out[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  auto b = bytes();
  ::inet_ntop(is_v4() ? AF_INET : AF_INET6, b.data(), buf, sizeof(buf));
  return buf;
}

Prefix::Prefix(IpAddress address, int length) : length_(length) {
  int max = address.is_v4() ? 32 : 128;
  if (length_ < 0) length_ = 0;
  if (length_ > max) length_ = max;
  network_ = IpAddress::from_number(address.family(), address.number() & mask_for(length_, max));
}

Result<Prefix> Prefix::parse(std::string_view text) {
  bool found = false;
  auto [addr_text, len_text] = split_once(text, '/', &found);
  auto invalid = [&] {
    return make_error(ErrorCode::kInvalidArgument, "invalid CIDR address: {}", text);
  };
  if (!found || len_text.empty() || len_text.size() > 3) return invalid();
  auto address = IpAddress::parse(addr_text);
  if (!address.ok()) return invalid();
  int length = 0;
  for (char c : len_text) {
    if (c < '0' || c > '9') return invalid();
    length = length * 10 + (c - '0');
  }
  if (length > (address->is_v4() ? 32 : 128)) return invalid();
  return Prefix(*address, length);
}

IpAddress Prefix::last() const {
  Uint128 host_mask = ~mask_for(length_, max_length());
  if (network_.is_v4()) host_mask &= 0xffffffffu;
  return IpAddress::from_number(family(), network_.number() | host_mask);
}

Uint128 Prefix::size() const {
  int host_bits = max_length() - length_;
  if (host_bits >= 128) return Uint128{1} << 127;
  return Uint128{1} << host_bits;
}

bool Prefix::contains(const IpAddress& address) const {
  if (address.family() != family()) return false;
  return (address.number() & mask_for(length_, max_length())) == network_.number();
}

bool Prefix::contains(const Prefix& other) const {
  return other.family() == family() && other.length_ >= length_ && contains(other.network_);
}

bool Prefix::overlaps(const Prefix& other) const {
  return contains(other) || other.contains(*this);
}

std::string Prefix::to_string() const {
  return network_.to_string() + "/" + std::to_string(length_);
}

std::string InterfaceAddress::to_string() const {
  return address.to_string() + "/" + std::to_string(prefix_length);
}

Result<InterfaceAddress> InterfaceAddress::parse(std::string_view text) {
  auto prefix = TRY(Prefix::parse(text));
  auto address = TRY(IpAddress::parse(text.substr(0, text.find('/'))));
  return InterfaceAddress{address, prefix.length()};
}

}  // namespace berth::net
