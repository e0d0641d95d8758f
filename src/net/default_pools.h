// The address pools networks get their subnets from when none is given (Docker's
// "default-address-pools"): each base prefix is cut into subnets of `size` bits.
#pragma once

#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "net/ip_address.h"

namespace berth::net {

struct DefaultPool {
  Prefix base;
  int size = 0;  // prefix length of each subnet cut from base

  auto operator<=>(const DefaultPool&) const = default;
};

// Docker's local-scope defaults: 172.17.0.0/16 (the default bridge), 172.18.0.0/16 ...
// 172.31.0.0/16, then 192.168.0.0/16 in /20s.
std::vector<DefaultPool> docker_default_pools_v4();
// IPv6 networks created without a subnet get a /64 from fd00::/8 (unique local addresses).
std::vector<DefaultPool> docker_default_pools_v6();

// Parses daemon.json's "default-address-pools": [{"base":"10.10.0.0/16","size":24}, ...].
// Errors name the bad entry ("invalid base pool", "invalid pools size").
Result<std::vector<DefaultPool>> parse_default_pools(const Json& json);

}  // namespace berth::net
