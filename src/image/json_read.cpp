#include "image/json_read.h"

#include <fmt/format.h>

namespace berth::image::json {

namespace {

std::string_view kind(const Json& j) {
  switch (j.type()) {
    case Json::value_t::string: return "string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    default: return "value";
  }
}

const Json* find(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

std::string member(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

std::string element(std::string_view parent, size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

Error type_error(std::string_view path, std::string_view expected, const Json& got) {
  return make_error(ErrorCode::kInvalidArgument, "{}: expected {}, got {}", path, expected,
                    kind(got));
}

Result<std::optional<std::string>> opt_string(const Json& obj, std::string_view key,
                                              std::string_view path) {
  const Json* v = find(obj, key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return type_error(member(path, key), "a string", *v);
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::string> string_or_empty(const Json& obj, std::string_view key, std::string_view path) {
  return TRY(opt_string(obj, key, path)).value_or("");
}

Result<std::optional<int64_t>> opt_int(const Json& obj, std::string_view key,
                                       std::string_view path) {
  const Json* v = find(obj, key);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_number_integer()) return std::optional<int64_t>(v->get<int64_t>());
  if (v->is_number_unsigned()) {
    auto u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) {
      return make_error(ErrorCode::kInvalidArgument, "{}: {} is out of range", member(path, key),
                        u);
    }
    return std::optional<int64_t>(static_cast<int64_t>(u));
  }
  return type_error(member(path, key), "an integer", *v);
}

Result<bool> bool_or_false(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = find(obj, key);
  if (v == nullptr) return false;
  if (!v->is_boolean()) return type_error(member(path, key), "a boolean", *v);
  return v->get<bool>();
}

Result<std::optional<std::vector<std::string>>> opt_strings(const Json& obj, std::string_view key,
                                                            std::string_view path) {
  using Out = std::optional<std::vector<std::string>>;
  const Json* v = find(obj, key);
  if (v == nullptr) return Out();
  std::string p = member(path, key);
  if (!v->is_array()) return type_error(p, "an array", *v);
  std::vector<std::string> out;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) return type_error(element(p, i), "a string", item);
    out.push_back(item.get<std::string>());
  }
  return Out(std::move(out));
}

Result<std::optional<std::map<std::string, std::string>>> opt_string_map(const Json& obj,
                                                                         std::string_view key,
                                                                         std::string_view path) {
  using Out = std::optional<std::map<std::string, std::string>>;
  const Json* v = find(obj, key);
  if (v == nullptr) return Out();
  std::string p = member(path, key);
  if (!v->is_object()) return type_error(p, "an object", *v);
  std::map<std::string, std::string> out;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) return type_error(member(p, k), "a string", item);
    out[k] = item.get<std::string>();
  }
  return Out(std::move(out));
}

Result<std::optional<std::vector<std::string>>> opt_key_set(const Json& obj, std::string_view key,
                                                            std::string_view path) {
  using Out = std::optional<std::vector<std::string>>;
  const Json* v = find(obj, key);
  if (v == nullptr) return Out();
  if (!v->is_object()) return type_error(member(path, key), "an object", *v);
  std::vector<std::string> out;
  for (const auto& [k, item] : v->items()) out.push_back(k);
  return Out(std::move(out));
}

Result<const Json*> opt_object(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = find(obj, key);
  if (v != nullptr && !v->is_object()) return type_error(member(path, key), "an object", *v);
  return v;
}

Result<const Json*> opt_array(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = find(obj, key);
  if (v != nullptr && !v->is_array()) return type_error(member(path, key), "an array", *v);
  return v;
}

Result<Json> parse_object(std::string_view text, std::string_view what) {
  auto j = TRY(parse_json(text, what));
  if (!j.is_object()) return type_error(what, "a JSON object", j);
  return j;
}

}  // namespace berth::image::json
