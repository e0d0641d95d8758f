// Typed, path-aware reads from nlohmann::json for the config.json parser. Every error names the
// property by its JSON path ("linux.resources.memory.limit: expected an integer, got string"),
// and JSON null for an optional property reads as absent, as Go's encoding/json does for runc.
//
// Structs get their own `Status read_value(const Json&, const std::string& path, T*)` overload in
// namespace berth::oci; the vector/map/optional templates here find them by argument-dependent
// lookup, so one call reads a whole array of mounts or a map of rdma limits.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::oci {

// "string", "integer", "number" (non-integral), "boolean", "null", "object" or "array".
std::string_view json_kind(const Json& json);
std::string member_path(std::string_view parent, std::string_view key);
std::string element_path(std::string_view parent, size_t index);
// "<path>: expected <expected>, got <kind>".
Error type_error(std::string_view path, std::string_view expected, const Json& got);
Error required_error(std::string_view path);

Status read_value(const Json& json, const std::string& path, std::string* out);
Status read_value(const Json& json, const std::string& path, bool* out);

namespace json_detail {
Status read_int64(const Json& json, const std::string& path, int64_t min, int64_t max,
                  int64_t* out);
Status read_uint64(const Json& json, const std::string& path, uint64_t max, uint64_t* out);
}  // namespace json_detail

// Integers are range-checked against T: a uint32 field given 4294967296 or -1 is an error.
template <typename T>
requires(std::integral<T> && !std::same_as<T, bool>) Status
    read_value(const Json& json, const std::string& path, T* out) {
  if constexpr (std::is_signed_v<T>) {
    int64_t v = 0;
    TRY(json_detail::read_int64(json, path, std::numeric_limits<T>::min(),
                                std::numeric_limits<T>::max(), &v));
    *out = static_cast<T>(v);
  } else {
    uint64_t v = 0;
    TRY(json_detail::read_uint64(json, path, std::numeric_limits<T>::max(), &v));
    *out = static_cast<T>(v);
  }
  return {};
}

// Arrays: null reads as empty; each element is read at "<path>[i]".
template <typename T>
Status read_value(const Json& json, const std::string& path, std::vector<T>* out) {
  out->clear();
  if (json.is_null()) return {};
  if (!json.is_array()) return type_error(path, "an array", json);
  out->reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    T item{};
    TRY(read_value(json[i], element_path(path, i), &item));
    out->push_back(std::move(item));
  }
  return {};
}

// Objects used as maps (annotations, sysctl, unified, rdma): each value at "<path>.<key>".
template <typename T>
Status read_value(const Json& json, const std::string& path, std::map<std::string, T>* out) {
  out->clear();
  if (json.is_null()) return {};
  if (!json.is_object()) return type_error(path, "an object", json);
  for (const auto& [key, value] : json.items()) {
    T item{};
    TRY(read_value(value, member_path(path, key), &item));
    out->emplace(key, std::move(item));
  }
  return {};
}

// The properties of one JSON object, read by name.
class ObjectReader {
 public:
  // Fails unless `json` is an object.
  static Result<ObjectReader> open(const Json& json, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }

  // The property, or nullptr when it is absent or null.
  const Json* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Reads an optional property; *out keeps its value when the property is absent.
  template <typename T>
  Status get(std::string_view key, T* out) const {
    const Json* value = find(key);
    if (value == nullptr) return {};
    return read_value(*value, path_of(key), out);
  }

  // Reads an optional property into an optional; absent leaves it empty.
  template <typename T>
  Status get(std::string_view key, std::optional<T>* out) const {
    out->reset();
    const Json* value = find(key);
    if (value == nullptr) return {};
    T item{};
    TRY(read_value(*value, path_of(key), &item));
    *out = std::move(item);
    return {};
  }

  // Reads a REQUIRED property whose absence the C++ type cannot show (numbers, booleans).
  template <typename T>
  Status require(std::string_view key, T* out) const {
    const Json* value = find(key);
    if (value == nullptr) return required_error(path_of(key));
    return read_value(*value, path_of(key), out);
  }

 private:
  ObjectReader(const Json& json, std::string path) : json_(&json), path_(std::move(path)) {}

  const Json* json_;
  std::string path_;
};

}  // namespace berth::oci
