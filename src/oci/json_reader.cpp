#include "oci/json_reader.h"

#include <fmt/format.h>

namespace berth::oci {

std::string_view json_kind(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
  }
  return "unknown";
}

std::string member_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string element_path(std::string_view parent, size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

Error type_error(std::string_view path, std::string_view expected, const Json& got) {
  return make_error(ErrorCode::kInvalidArgument, "{}: expected {}, got {}", path, expected,
                    json_kind(got));
}

Error required_error(std::string_view path) {
  return make_error(ErrorCode::kInvalidArgument, "{}: required", path);
}

Status read_value(const Json& json, const std::string& path, std::string* out) {
  if (!json.is_string()) return type_error(path, "a string", json);
  *out = json.get<std::string>();
  return {};
}

Status read_value(const Json& json, const std::string& path, bool* out) {
  if (!json.is_boolean()) return type_error(path, "a boolean", json);
  *out = json.get<bool>();
  return {};
}

namespace json_detail {

namespace {

// A number of the wrong range or a fraction reads better with its value than with its kind.
Error range_error(std::string_view path, std::string_view expected, const Json& got) {
  return make_error(ErrorCode::kInvalidArgument, "{}: expected {}, got {}", path, expected,
                    got.dump());
}

std::string int_range_name(int64_t min, int64_t max) {
  if (min == std::numeric_limits<int64_t>::min()) return "an int64";
  if (min == std::numeric_limits<int32_t>::min() && max == std::numeric_limits<int32_t>::max()) {
    return "an int32";
  }
  return fmt::format("an integer in [{}, {}]", min, max);
}

std::string uint_range_name(uint64_t max) {
  if (max == std::numeric_limits<uint64_t>::max()) return "a uint64";
  if (max == std::numeric_limits<uint32_t>::max()) return "a uint32";
  if (max == std::numeric_limits<uint16_t>::max()) return "a uint16";
  return fmt::format("an integer in [0, {}]", max);
}

}  // namespace

Status read_int64(const Json& json, const std::string& path, int64_t min, int64_t max,
                  int64_t* out) {
  if (json.is_number_float()) return range_error(path, int_range_name(min, max), json);
  if (!json.is_number_integer()) return type_error(path, "an integer", json);
  int64_t value = 0;
  if (json.is_number_unsigned()) {
    uint64_t u = json.get<uint64_t>();
    if (u > static_cast<uint64_t>(max)) return range_error(path, int_range_name(min, max), json);
    value = static_cast<int64_t>(u);
  } else {
    value = json.get<int64_t>();
  }
  if (value < min || value > max) return range_error(path, int_range_name(min, max), json);
  *out = value;
  return {};
}

Status read_uint64(const Json& json, const std::string& path, uint64_t max, uint64_t* out) {
  if (json.is_number_float()) return range_error(path, uint_range_name(max), json);
  if (!json.is_number_integer()) return type_error(path, "an integer", json);
  uint64_t value = 0;
  if (json.is_number_unsigned()) {
    value = json.get<uint64_t>();
  } else {
    int64_t signed_value = json.get<int64_t>();  // "-0" parses as a signed zero
    if (signed_value < 0) return range_error(path, uint_range_name(max), json);
    value = static_cast<uint64_t>(signed_value);
  }
  if (value > max) return range_error(path, uint_range_name(max), json);
  *out = value;
  return {};
}

}  // namespace json_detail

Result<ObjectReader> ObjectReader::open(const Json& json, std::string path) {
  if (!json.is_object()) return type_error(path, "an object", json);
  return ObjectReader(json, std::move(path));
}

const Json* ObjectReader::find(std::string_view key) const {
  auto it = json_->find(key);
  if (it == json_->end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace berth::oci
