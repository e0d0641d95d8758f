// Headers: an ordered list of HTTP header fields with case-insensitive names, as HTTP/1.1 and
// Go's http.Header treat them. Plain type, no Beast: handlers and the client share it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::http {

bool iequals(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  // The first value of `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  // The first value of `name`, or "" when absent.
  std::string_view value(std::string_view name) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const;
  // True when a comma-separated header (Connection, Upgrade) lists `token`, case-insensitively.
  bool has_token(std::string_view name, std::string_view token) const;

  // Replaces every field named `name` with one field.
  void set(std::string_view name, std::string_view value);
  // Appends a field, keeping existing ones (Set-Cookie style repeats).
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  // Copies the fields of `other` whose names this set lacks.
  void merge_missing(const Headers& other);

  bool empty() const { return fields_.empty(); }
  size_t size() const { return fields_.size(); }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace berth::http
