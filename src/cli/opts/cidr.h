// net.ParseCIDR and IPNet.Contains for `network create`'s subnet checks.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace berth::cli {

struct Cidr {
  std::array<uint8_t, 16> addr{};  // IPv4 as IPv4-mapped IPv6
  int prefix = 0;                  // in the 128-bit space
};

// Error text as Go's: "invalid CIDR address: x".
Result<Cidr> parse_cidr(std::string_view text);
// docker's subnetMatches: whether `data` (an address or a CIDR's address) is inside `subnet`.
Result<bool> subnet_matches(std::string_view subnet, std::string_view data);

}  // namespace berth::cli
