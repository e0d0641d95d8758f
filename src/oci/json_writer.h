// Helpers for writing config.json: each sets a property only when the value is "set" (a non-empty
// string, array or map, a true flag, an engaged optional), so that absent stays absent and
// parse(to_json(x)) == x. Required properties are assigned directly by the callers.
#pragma once

#include <concepts>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"

namespace berth::oci {

inline Json write_value(const std::string& value) {
  return value;
}
inline Json write_value(bool value) {
  return value;
}
template <typename T>
requires(std::integral<T> && !std::same_as<T, bool>) Json write_value(T value) {
  return value;
}

template <typename T>
Json write_value(const std::vector<T>& values) {
  Json out = Json::array();
  for (const T& value : values) out.push_back(write_value(value));
  return out;
}

template <typename T>
Json write_value(const std::map<std::string, T>& values) {
  Json out = Json::object();
  for (const auto& [key, value] : values) out[key] = write_value(value);
  return out;
}

inline void put_string(Json& object, std::string_view key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

inline void put_flag(Json& object, std::string_view key, bool value) {
  if (value) object[key] = true;
}

template <typename T>
requires(std::integral<T> &&
         !std::same_as<T, bool>) void put_nonzero(Json& object, std::string_view key, T value) {
  if (value != 0) object[key] = value;
}

template <typename T>
void put_optional(Json& object, std::string_view key, const std::optional<T>& value) {
  if (value.has_value()) object[key] = write_value(*value);
}

template <typename T>
void put_array(Json& object, std::string_view key, const std::vector<T>& values) {
  if (!values.empty()) object[key] = write_value(values);
}

template <typename T>
void put_map(Json& object, std::string_view key, const std::map<std::string, T>& values) {
  if (!values.empty()) object[key] = write_value(values);
}

}  // namespace berth::oci
