#include "template/value.h"

#include <limits>

namespace berth::tmpl {
namespace {

Value::Kind kind_of(const Json& json) {
  switch (json.type()) {
    case Json::value_t::boolean: return Value::Kind::kBool;
    case Json::value_t::number_integer: return Value::Kind::kInt;
    case Json::value_t::number_unsigned:
      // nlohmann reads every non-negative integer as unsigned; Go's struct fields are ints.
      return json.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                 ? Value::Kind::kInt
                 : Value::Kind::kUint;
    case Json::value_t::number_float: return Value::Kind::kFloat;
    case Json::value_t::string: return Value::Kind::kString;
    case Json::value_t::array: return Value::Kind::kArray;
    case Json::value_t::object: return Value::Kind::kObject;
    default: return Value::Kind::kNull;  // null, and the binary/discarded kinds JSON text lacks
  }
}

}  // namespace

Value::Value(std::shared_ptr<const Json> owned, const Json* json)
    : owned_(std::move(owned)), json_(json), kind_(kind_of(*json)) {}

Value Value::ref(const Json& json) {
  return Value(nullptr, &json);
}

Value Value::own(Json json) {
  auto owned = std::make_shared<const Json>(std::move(json));
  const Json* ptr = owned.get();
  return Value(std::move(owned), ptr);
}

int64_t Value::as_int() const {
  if (json_->is_number_unsigned()) return static_cast<int64_t>(json_->get<uint64_t>());
  return json_->get<int64_t>();
}

uint64_t Value::as_uint() const {
  if (json_->is_number_unsigned()) return json_->get<uint64_t>();
  return static_cast<uint64_t>(json_->get<int64_t>());
}

size_t Value::size() const {
  switch (kind_) {
    case Kind::kString: return as_string().size();
    case Kind::kArray:
    case Kind::kObject: return json_->size();
    default: return 0;
  }
}

std::string Value::type_name() const {
  switch (kind_) {
    case Kind::kMissing: return "<nil>";
    case Kind::kNull: return "interface {}";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kUint: return "uint64";
    case Kind::kFloat: return "float64";
    case Kind::kString: return "string";
    case Kind::kArray: return "[]interface {}";
    case Kind::kObject: return "map[string]interface {}";
  }
  return "";
}

bool is_true(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool: return v.as_bool();
    case Value::Kind::kInt: return v.as_int() != 0;
    case Value::Kind::kUint: return v.as_uint() != 0;
    case Value::Kind::kFloat: return v.as_float() != 0;
    case Value::Kind::kString:
    case Value::Kind::kArray:
    case Value::Kind::kObject: return v.size() > 0;
    default: return false;
  }
}

}  // namespace berth::tmpl
