// URL query strings: decoding into repeated key/value pairs as Go's url.ParseQuery does (which is
// what dockerd's handlers see), the docker boolean convention, and encoding for the client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace berth::http {

// Decodes %XX escapes; with `plus_as_space` also '+' (query strings, not paths).
// Fails on a malformed escape with Go's message: invalid URL escape "%zz".
Result<std::string> percent_decode(std::string_view s, bool plus_as_space);
// Go's url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX.
std::string query_escape(std::string_view s);
// Go's url.PathEscape for one segment: also keeps ":@&=+$" and escapes '/' and space as %XX.
std::string path_escape(std::string_view s);

class QueryParams {
 public:
  QueryParams() = default;
  // Parses "a=1&b=x%20y&a=2". Pairs without '=' get an empty value.
  static Result<QueryParams> parse(std::string_view query);

  bool has(std::string_view key) const;
  // The first value of `key`, or nullopt.
  std::optional<std::string_view> get(std::string_view key) const;
  // The first value of `key`, or `fallback`.
  std::string_view value(std::string_view key, std::string_view fallback = {}) const;
  std::vector<std::string_view> get_all(std::string_view key) const;

  // dockerd's httputils.BoolValue: false for absent, "", "0", "no", "false", "none"
  // (case-insensitive, trimmed); true for anything else ("1", "true", "yes", ...).
  bool get_bool(std::string_view key) const;
  // httputils.BoolValueOrDefault: `fallback` when the key is absent, else get_bool.
  bool get_bool(std::string_view key, bool fallback) const;
  // An integer value; `fallback` when absent or empty, an error when not a number.
  Result<int64_t> get_int(std::string_view key, int64_t fallback) const;

  void add(std::string_view key, std::string_view value);
  void set(std::string_view key, std::string_view value);
  // "a=1&b=2", keys sorted as Go's url.Values.Encode does, so targets are deterministic.
  std::string encode() const;

  bool empty() const { return pairs_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace berth::http
