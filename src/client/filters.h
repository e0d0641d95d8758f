// docker's filters.Args: name → set of values, sent as {"status":{"running":true}} in the
// `filters` query parameter.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::client {

class Filters {
 public:
  void add(std::string_view name, std::string_view value);
  bool empty() const { return fields_.empty(); }
  bool contains(std::string_view name) const { return fields_.count(std::string(name)) != 0; }
  std::vector<std::string> get(std::string_view name) const;
  // The JSON encoding (filters.ToJSON); "" when empty.
  std::string to_json() const;
  // docker's opts.FilterOpt.Set: "name=value", name lowercased and both trimmed.
  // Error: "bad format of filter (expected name=value)".
  Status parse_flag(std::string_view text);

 private:
  std::map<std::string, std::set<std::string>> fields_;
};

}  // namespace berth::client
