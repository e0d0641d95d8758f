// WWW-Authenticate challenges (RFC 7235), as registries send them on 401:
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:x:pull"
// A header may carry several challenges and a response several headers. The parser is lenient:
// unquoted values may hold '/' and ':', quoted strings may hold escaped quotes and commas, and
// garbage is skipped rather than failing the request.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::registry {

struct Challenge {
  std::string scheme;                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lowercased, values unquoted

  // The parameter's value, or "" when absent.
  std::string param(std::string_view name) const;
  bool operator==(const Challenge&) const = default;
};

std::vector<Challenge> parse_www_authenticate(std::string_view header);
// All challenges of all the given header values, in order.
std::vector<Challenge> parse_www_authenticate(const std::vector<std::string>& headers);

// The first challenge with `scheme` (lowercase), if any.
const Challenge* find_challenge(const std::vector<Challenge>& challenges, std::string_view scheme);

}  // namespace berth::registry
