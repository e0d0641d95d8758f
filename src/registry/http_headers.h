// An ordered, case-insensitive list of HTTP header fields (a name may repeat, as
// WWW-Authenticate and Link do).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::registry {

class HttpHeaders {
 public:
  void add(std::string name, std::string value);
  // Replaces every field called `name`.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  void clear() { fields_.clear(); }

  // The first value, or nullopt.
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> get_all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace berth::registry
