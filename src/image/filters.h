// The `filters` of GET /images/json and POST /images/prune (a map[string][]string in JSON),
// and the matching rules Docker applies: dangling, label (key, key=value, and label! for
// prune), before/since (an image), reference (a glob on the familiar name), until.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace berth::image {

using Filters = std::map<std::string, std::vector<std::string>>;

// Parses the API's JSON: {"dangling":["true"]} or the legacy {"dangling":{"true":true}}.
Result<Filters> parse_filters(std::string_view json);
// Every key must be in `allowed`: "invalid filter '<key>'".
Status check_filter_keys(const Filters& filters, const std::set<std::string>& allowed);

// dangling=true|1|false|0; nullopt when absent; "invalid filter 'dangling=x'" otherwise.
Result<std::optional<bool>> dangling_filter(const Filters& filters);
// label=key / label=key=value (all must match) and label!=key / label!=key=value (none may).
bool labels_match(const Filters& filters, const std::map<std::string, std::string>& labels);
// reference=<glob>: a pattern matches a reference's familiar string, or its familiar name when
// the pattern has no tag (path.Match rules: '*' does not cross '/').
bool reference_matches(std::string_view pattern, std::string_view familiar_string,
                       std::string_view familiar_name);
// until=<timestamp>: Unix seconds (with fraction), RFC 3339, a date, or a Go duration before
// `now_ns` ("10m", "1h30m"); returns Unix nanos.
Result<int64_t> parse_until(std::string_view value, int64_t now_ns);

}  // namespace berth::image
