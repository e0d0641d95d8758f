#include "cspec/docker_json.h"

namespace berth::cspec {
namespace {

// Go's name for the JSON value kind in its decode errors.
std::string_view json_kind(const Json& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "bool";
  if (value.is_number()) return "number";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return "null";
}

}  // namespace

const Json* field(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Error type_error(const Json& value, std::string_view where, std::string_view key,
                 std::string_view go_type) {
  return make_error(ErrorCode::kInvalidArgument,
                    "json: cannot unmarshal {} into Go struct field {}.{} of type {}",
                    json_kind(value), where, key, go_type);
}

Result<std::string> get_string(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return std::string();
  if (!value->is_string()) return type_error(*value, where, key, "string");
  return value->get<std::string>();
}

Result<bool> get_bool(const Json& object, std::string_view key, std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) return type_error(*value, where, key, "bool");
  return value->get<bool>();
}

Result<int64_t> get_int(const Json& object, std::string_view key, std::string_view where) {
  auto value = TRY(get_optional_int(object, key, where));
  return value.value_or(0);
}

Result<std::optional<int64_t>> get_optional_int(const Json& object, std::string_view key,
                                                std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_number_unsigned()) {
    auto unsigned_value = value->get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(INT64_MAX)) {
      return type_error(*value, where, key, "int64");
    }
    return std::optional<int64_t>(static_cast<int64_t>(unsigned_value));
  }
  if (!value->is_number_integer()) return type_error(*value, where, key, "int64");
  return std::optional<int64_t>(value->get<int64_t>());
}

Result<std::optional<bool>> get_optional_bool(const Json& object, std::string_view key,
                                              std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return type_error(*value, where, key, "bool");
  return std::optional<bool>(value->get<bool>());
}

Result<std::vector<std::string>> get_strings(const Json& object, std::string_view key,
                                             std::string_view where) {
  const Json* value = field(object, key);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) return type_error(*value, where, key, "[]string");
  for (const Json& item : *value) {
    if (!item.is_string()) return type_error(item, where, key, "string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::optional<std::vector<std::string>>> get_str_slice(const Json& object,
                                                              std::string_view key,
                                                              std::string_view where) {
  const Json* value = field(object, key);
  if (value == nullptr) return std::optional<std::vector<std::string>>();
  if (value->is_string()) {
    return std::optional<std::vector<std::string>>(std::vector{value->get<std::string>()});
  }
  return std::optional<std::vector<std::string>>(TRY(get_strings(object, key, where)));
}

Result<std::map<std::string, std::string>> get_string_map(const Json& object, std::string_view key,
                                                          std::string_view where) {
  const Json* value = field(object, key);
  std::map<std::string, std::string> out;
  if (value == nullptr) return out;
  if (!value->is_object()) return type_error(*value, where, key, "map[string]string");
  for (const auto& [name, item] : value->items()) {
    if (!item.is_string()) return type_error(item, where, key, "string");
    out.emplace(name, item.get<std::string>());
  }
  return out;
}

}  // namespace berth::cspec
