// The `filters` query parameter of list and prune endpoints: a JSON object mapping a key to
// {"value": true, ...} (or, from older clients, ["value", ...]).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace berth::daemon {

struct ListFilters {
  std::map<std::string, std::vector<std::string>> values;

  bool has(const std::string& key) const { return values.count(key) > 0; }
  const std::vector<std::string>& get(const std::string& key) const;
};

// Parses the filters object; a key outside `allowed` is "invalid filter 'key'" (400).
// An empty `allowed` accepts every key.
Result<ListFilters> parse_filters(const std::string& json_text, const std::vector<std::string>& allowed);

}  // namespace berth::daemon
