// What Berth's nft tables hold, read back from `nft -j list table` output: the networks
// (bridges) that have rules and the published ports grouped by the container that owns them
// (the element comment). Pure parsing, so it is unit-tested on recorded JSON.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "net/nft/ruleset.h"

namespace berth::net::nft {

struct FirewallState {
  std::set<std::string> bridges;
  std::map<std::string, std::vector<PortRule>> ports;  // owner -> rules, sorted

  bool operator==(const FirewallState&) const = default;
};

// Adds what one table's listing holds to `state`.
Status parse_table_listing(const Json& listing, FirewallState* state);

}  // namespace berth::net::nft
