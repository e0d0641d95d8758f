// IPv4/IPv6 addresses and prefixes (CIDR) as values: parsing, formatting, arithmetic.
// IPAM, the firewall, /etc/hosts and DNS all speak these; nothing here touches the kernel.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::net {

enum class Family { kV4, kV6 };

std::string_view family_name(Family family);  // "IPv4" / "IPv6"

// An address as a 128-bit number; IPv4 uses the low 32 bits. Unsigned __int128 keeps offset
// arithmetic inside IPv6 /64 pools exact.
using Uint128 = unsigned __int128;

class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0
  static IpAddress v4(uint32_t host_order);
  static IpAddress from_bytes(Family family, const uint8_t* bytes);  // 4 or 16 network-order bytes
  static IpAddress from_number(Family family, Uint128 value);
  static IpAddress any(Family family);  // 0.0.0.0 or ::
  // Strict: dotted quad or RFC 4291 text, no zone, no brackets, no surrounding space.
  static Result<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  bool is_v6() const { return family_ == Family::kV6; }
  bool is_unspecified() const { return number_ == 0; }
  bool is_loopback() const;
  // fe80::/10; for IPv4, 169.254.0.0/16.
  bool is_link_local() const;
  size_t byte_length() const { return is_v4() ? 4 : 16; }
  // Network-order bytes; the first byte_length() are meaningful.
  std::array<uint8_t, 16> bytes() const;
  Uint128 number() const { return number_; }
  uint32_t v4_number() const { return static_cast<uint32_t>(number_); }

  std::string to_string() const;

  auto operator<=>(const IpAddress&) const = default;  // NOLINT(modernize-use-nullptr)

 private:
  Family family_ = Family::kV4;
  Uint128 number_ = 0;
};

// A prefix such as 172.18.0.0/16. parse() masks host bits off (172.18.0.5/16 -> 172.18.0.0/16),
// which is how Docker treats --subnet.
class Prefix {
 public:
  Prefix() = default;
  Prefix(IpAddress address, int length);  // masks the address
  static Result<Prefix> parse(std::string_view text);

  Family family() const { return network_.family(); }
  const IpAddress& network() const { return network_; }
  int length() const { return length_; }
  int max_length() const { return network_.is_v4() ? 32 : 128; }
  // The highest address (the IPv4 broadcast address).
  IpAddress last() const;
  // Number of addresses, saturated at 2^127 for IPv6 prefixes shorter than /1.
  Uint128 size() const;
  bool contains(const IpAddress& address) const;
  bool contains(const Prefix& other) const;
  bool overlaps(const Prefix& other) const;
  // /31 and /32 (IPv4), /127 and /128 (IPv6): every address is a host address (RFC 3021).
  bool is_point_to_point() const { return length_ >= max_length() - 1; }

  std::string to_string() const;

  auto operator<=>(const Prefix&) const = default;

 private:
  IpAddress network_;
  int length_ = 0;
};

// An address with the prefix length of its subnet, as it is configured on an interface
// ("172.18.0.2/16"); the address keeps its host bits.
struct InterfaceAddress {
  IpAddress address;
  int prefix_length = 0;

  Prefix subnet() const { return Prefix(address, prefix_length); }
  std::string to_string() const;
  static Result<InterfaceAddress> parse(std::string_view text);
  auto operator<=>(const InterfaceAddress&) const = default;
};

}  // namespace berth::net
