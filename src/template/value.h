// A template value: a JSON value seen through Go's type system, or "missing".
//
// Go templates run over typed Go data; Berth's data is JSON. The mapping: an object is a
// map[string]interface{} (fields are keys; a missing key is a missing value, never an error),
// an array a []interface{}, a string a string, an integer an int (uint64 when it does not fit
// int64), any other number a float64, a bool a bool, and null a nil pointer (printed "<nil>",
// false in conditions). "Missing" is Go's invalid reflect.Value: a missing map key, printed
// "<no value>".
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/json.h"

namespace berth::tmpl {

class Value {
 public:
  enum class Kind { kMissing, kNull, kBool, kInt, kUint, kFloat, kString, kArray, kObject };

  // A missing value.
  Value() = default;
  // Refers to `json`, which must outlive the value (the data a template executes over).
  static Value ref(const Json& json);
  // Owns a value a function or literal produced.
  static Value own(Json json);
  // An element or member of this array or object, which keeps an owned value alive.
  Value element(const Json& child) const { return Value(owned_, &child); }

  static Value null() { return own(Json(nullptr)); }
  static Value of(bool b) { return own(Json(b)); }
  static Value of(int64_t i) { return own(Json(i)); }
  static Value of(double f) { return own(Json(f)); }
  static Value of(std::string s) { return own(Json(std::move(s))); }

  Kind kind() const { return kind_; }
  bool is_missing() const { return kind_ == Kind::kMissing; }
  // Missing or null: Go's nil interface, which comparisons and conditions treat alike.
  bool is_nil() const { return kind_ == Kind::kMissing || kind_ == Kind::kNull; }
  bool is_integer() const { return kind_ == Kind::kInt || kind_ == Kind::kUint; }

  // The JSON behind the value; must not be called on a missing value.
  const Json& json() const { return *json_; }
  bool as_bool() const { return json_->get<bool>(); }
  int64_t as_int() const;
  uint64_t as_uint() const;
  double as_float() const { return json_->get<double>(); }
  const std::string& as_string() const { return json_->get_ref<const std::string&>(); }
  // Element count of a string (bytes), array or object.
  size_t size() const;

  // The Go type this value stands for, as Go's messages spell it: "string", "int", "float64",
  // "[]interface {}", "map[string]interface {}"...
  std::string type_name() const;

 private:
  Value(std::shared_ptr<const Json> owned, const Json* json);

  std::shared_ptr<const Json> owned_;
  const Json* json_ = nullptr;
  Kind kind_ = Kind::kMissing;
};

// Go's truth (text/template isTrue): false, 0, "", empty arrays and objects, null and missing
// are false; everything else is true.
bool is_true(const Value& v);

}  // namespace berth::tmpl
