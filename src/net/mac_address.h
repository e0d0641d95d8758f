// Ethernet MAC addresses: parsing, formatting, and the two ways Docker picks one.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "net/ip_address.h"

namespace berth::net {

struct MacAddress {
  std::array<uint8_t, 6> bytes{};

  static Result<MacAddress> parse(std::string_view text);  // "02:42:ac:11:00:02"
  // A random locally administered unicast address (what Docker 26+ does).
  static MacAddress random();
  // 02:42 followed by the IPv4 address (Docker's older scheme, stable across restarts).
  static MacAddress from_ipv4(const IpAddress& address);

  bool is_zero() const;
  std::string to_string() const;
  auto operator<=>(const MacAddress&) const = default;
};

}  // namespace berth::net
