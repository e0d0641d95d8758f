// text/template's builtin functions (funcs.go) over template values.
#include <cstdint>
#include <string>

#include "template/escape.h"
#include "template/function.h"
#include "template/go_fmt.h"

namespace berth::tmpl {
namespace {

using Args = std::vector<Value>;

// The value a Go map yields for a key it lacks: its element type's zero value. A JSON object
// does not say its element type; one whose values are all strings (labels, options) is taken
// for a map[string]string and yields "", any other yields nothing.
Value missing_key(const Value& object) {
  if (object.kind() == Value::Kind::kObject) {
    for (const auto& [key, element] : object.json().items()) {
      if (!element.is_string()) return Value();
    }
  }
  return Value::of(std::string());
}

// funcs.go's indexArg.
Result<int64_t> index_arg(const Value& index, size_t cap) {
  int64_t x = 0;
  switch (index.kind()) {
    case Value::Kind::kInt:
    case Value::Kind::kUint: x = index.as_int(); break;
    case Value::Kind::kMissing:
    case Value::Kind::kNull: return function_error("cannot index slice/array with nil");
    default: return function_error("cannot index slice/array with type " + index.type_name());
  }
  if (x < 0 || static_cast<uint64_t>(x) > cap) {
    return function_error("index out of range: " + std::to_string(x));
  }
  return x;
}

Result<Value> index_fn(const Args& args) {
  Value item = args[0];
  if (item.is_missing()) return function_error("index of untyped nil");
  for (size_t i = 1; i < args.size(); ++i) {
    const Value& index = args[i];
    switch (item.kind()) {
      case Value::Kind::kArray: {
        int64_t x = TRY(index_arg(index, item.size()));
        if (static_cast<size_t>(x) == item.size()) {
          return function_error("reflect: slice index out of range");
        }
        item = item.element(item.json()[static_cast<size_t>(x)]);
        break;
      }
      case Value::Kind::kString: {
        int64_t x = TRY(index_arg(index, item.size()));
        if (static_cast<size_t>(x) == item.size()) {
          return function_error("reflect: string index out of range");
        }
        // Indexing a Go string yields a byte.
        item = Value::of(static_cast<int64_t>(
            static_cast<unsigned char>(item.as_string()[static_cast<size_t>(x)])));
        break;
      }
      case Value::Kind::kObject:
      case Value::Kind::kNull: {
        // null stands for a nil map or slice (docker's data are Go structs whose empty maps
        // and slices are nil): a key finds nothing, a position is out of range.
        if (item.kind() == Value::Kind::kNull && index.is_integer()) {
          return function_error("index out of range: " + std::to_string(index.as_int()));
        }
        if (index.is_nil()) return function_error("value is nil; should be of type string");
        if (index.kind() != Value::Kind::kString) {
          return function_error("value has type " + index.type_name() + "; should be string");
        }
        if (item.kind() == Value::Kind::kObject) {
          auto it = item.json().find(index.as_string());
          item = it != item.json().end() ? item.element(*it) : missing_key(item);
        } else {
          item = missing_key(item);
        }
        break;
      }
      case Value::Kind::kMissing: return function_error("index of untyped nil");
      default: return function_error("can't index item of type " + item.type_name());
    }
  }
  return item;
}

Result<Value> slice_fn(const Args& args) {
  const Value& item = args[0];
  if (item.is_nil()) return function_error("slice of untyped nil");
  size_t count = args.size() - 1;
  if (count > 3) return function_error("too many slice indexes: " + std::to_string(count));
  if (item.kind() == Value::Kind::kString) {
    if (count == 3) return function_error("cannot 3-index slice a string");
  } else if (item.kind() != Value::Kind::kArray) {
    return function_error("can't slice item of type " + item.type_name());
  }
  size_t cap = item.size();
  int64_t idx[3] = {0, static_cast<int64_t>(item.size()), 0};
  for (size_t i = 0; i < count; ++i) idx[i] = TRY(index_arg(args[i + 1], cap));
  if (idx[0] > idx[1]) {
    return function_error("invalid slice index: " + std::to_string(idx[0]) + " > " +
                          std::to_string(idx[1]));
  }
  if (count == 3 && idx[1] > idx[2]) {
    return function_error("invalid slice index: " + std::to_string(idx[1]) + " > " +
                          std::to_string(idx[2]));
  }
  auto from = static_cast<size_t>(idx[0]);
  auto to = static_cast<size_t>(idx[1]);
  if (item.kind() == Value::Kind::kString)
    return Value::of(item.as_string().substr(from, to - from));
  Json out = Json::array();
  for (size_t i = from; i < to; ++i) out.push_back(item.json()[i]);
  return Value::own(std::move(out));
}

Result<Value> len_fn(const Args& args) {
  const Value& item = args[0];
  switch (item.kind()) {
    case Value::Kind::kString:
    case Value::Kind::kArray:
    case Value::Kind::kObject: return Value::of(static_cast<int64_t>(item.size()));
    case Value::Kind::kNull: return function_error("len of nil pointer");
    case Value::Kind::kMissing: return function_error("len of untyped nil");
    default: return function_error("len of type " + item.type_name());
  }
}

// The basic kinds comparisons understand; arrays, objects and nil have none.
enum class BasicKind { kInvalid, kBool, kInt, kUint, kFloat, kString };

BasicKind basic_kind(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool: return BasicKind::kBool;
    case Value::Kind::kInt: return BasicKind::kInt;
    case Value::Kind::kUint: return BasicKind::kUint;
    case Value::Kind::kFloat: return BasicKind::kFloat;
    case Value::Kind::kString: return BasicKind::kString;
    default: return BasicKind::kInvalid;
  }
}

std::string incompatible(const Value& a, const Value& b) {
  return "incompatible types for comparison: " + a.type_name() + " and " + b.type_name();
}

Result<bool> equal(const Value& a1, const Value& a2) {
  BasicKind k1 = basic_kind(a1);
  BasicKind k2 = basic_kind(a2);
  if (k1 != k2) {
    // Integers compare across signedness.
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return a1.as_int() >= 0 && static_cast<uint64_t>(a1.as_int()) == a2.as_uint();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return a2.as_int() >= 0 && a1.as_uint() == static_cast<uint64_t>(a2.as_int());
    }
    if (!a1.is_nil() && !a2.is_nil()) return function_error(incompatible(a1, a2));
    return false;
  }
  switch (k1) {
    case BasicKind::kBool: return a1.as_bool() == a2.as_bool();
    case BasicKind::kInt: return a1.as_int() == a2.as_int();
    case BasicKind::kUint: return a1.as_uint() == a2.as_uint();
    case BasicKind::kFloat: return a1.as_float() == a2.as_float();
    case BasicKind::kString: return a1.as_string() == a2.as_string();
    case BasicKind::kInvalid: break;
  }
  // Arrays, objects and nil: only nil-ness compares.
  if (!a1.is_nil() && !a2.is_nil() && a1.kind() != a2.kind()) {
    return function_error(
        go_sprintf("non-comparable types %s: %v, %s: %v",
                   {a1, Value::of(a1.type_name()), Value::of(a2.type_name()), a2}));
  }
  if (a1.is_nil() || a2.is_nil()) return a1.is_nil() == a2.is_nil();
  return function_error(go_sprintf("non-comparable type %s: %v", {a2, Value::of(a2.type_name())}));
}

Result<Value> eq_fn(const Args& args) {
  if (args.size() < 2) return function_error("missing argument for comparison");
  for (size_t i = 1; i < args.size(); ++i) {
    if (TRY(equal(args[0], args[i]))) return Value::of(true);
  }
  return Value::of(false);
}

Result<bool> less(const Value& a1, const Value& a2) {
  BasicKind k1 = basic_kind(a1);
  if (k1 == BasicKind::kInvalid) return function_error("invalid type for comparison");
  BasicKind k2 = basic_kind(a2);
  if (k2 == BasicKind::kInvalid) return function_error("invalid type for comparison");
  if (k1 != k2) {
    if (k1 == BasicKind::kInt && k2 == BasicKind::kUint) {
      return a1.as_int() < 0 || static_cast<uint64_t>(a1.as_int()) < a2.as_uint();
    }
    if (k1 == BasicKind::kUint && k2 == BasicKind::kInt) {
      return a2.as_int() >= 0 && a1.as_uint() < static_cast<uint64_t>(a2.as_int());
    }
    return function_error(incompatible(a1, a2));
  }
  switch (k1) {
    case BasicKind::kInt: return a1.as_int() < a2.as_int();
    case BasicKind::kUint: return a1.as_uint() < a2.as_uint();
    case BasicKind::kFloat: return a1.as_float() < a2.as_float();
    case BasicKind::kString: return a1.as_string() < a2.as_string();
    default: return function_error("invalid type for comparison");
  }
}

Result<bool> less_equal(const Value& a1, const Value& a2) {
  if (TRY(less(a1, a2))) return true;
  return equal(a1, a2);
}

// fmt.Sprint of the arguments, with nil shown as "<no value>" (funcs.go's evalArgs).
std::string eval_args(const Args& args) {
  if (args.size() == 1 && args[0].kind() == Value::Kind::kString) return args[0].as_string();
  Args printable;
  for (const Value& arg : args)
    printable.push_back(arg.is_nil() ? Value::of(std::string("<no value>")) : arg);
  return go_sprint(printable);
}

Function fn(std::vector<ParamType> params, bool variadic,
            std::function<Result<Value>(const Args&)> call) {
  return Function{std::move(params), variadic, std::move(call)};
}

Result<Value> unreachable(const Args&) {
  return function_error("evaluated by the evaluator");
}

FunctionMap make_builtins() {
  using P = ParamType;
  FunctionMap m;
  m["and"] = fn({P::kValue, P::kValue}, true, unreachable);
  m["or"] = fn({P::kValue, P::kValue}, true, unreachable);
  m["call"] = fn({P::kValue, P::kValue}, true, unreachable);
  m["not"] = fn({P::kValue}, false,
                [](const Args& a) -> Result<Value> { return Value::of(!is_true(a[0])); });
  m["len"] = fn({P::kValue}, false, len_fn);
  m["index"] = fn({P::kValue, P::kValue}, true, index_fn);
  m["slice"] = fn({P::kValue, P::kValue}, true, slice_fn);
  m["print"] =
      fn({P::kAny}, true, [](const Args& a) -> Result<Value> { return Value::of(go_sprint(a)); });
  m["println"] =
      fn({P::kAny}, true, [](const Args& a) -> Result<Value> { return Value::of(go_sprintln(a)); });
  m["printf"] = fn({P::kString, P::kAny}, true, [](const Args& a) -> Result<Value> {
    return Value::of(go_sprintf(a[0].as_string(), Args(a.begin() + 1, a.end())));
  });
  m["html"] = fn({P::kAny}, true, [](const Args& a) -> Result<Value> {
    return Value::of(html_escape(eval_args(a)));
  });
  m["js"] = fn({P::kAny}, true,
               [](const Args& a) -> Result<Value> { return Value::of(js_escape(eval_args(a))); });
  m["urlquery"] = fn({P::kAny}, true, [](const Args& a) -> Result<Value> {
    return Value::of(url_query_escape(eval_args(a)));
  });
  m["eq"] = fn({P::kValue, P::kValue}, true, eq_fn);
  m["ne"] = fn({P::kValue, P::kValue}, false,
               [](const Args& a) -> Result<Value> { return Value::of(!TRY(equal(a[0], a[1]))); });
  m["lt"] = fn({P::kValue, P::kValue}, false,
               [](const Args& a) -> Result<Value> { return Value::of(TRY(less(a[0], a[1]))); });
  m["le"] = fn({P::kValue, P::kValue}, false, [](const Args& a) -> Result<Value> {
    return Value::of(TRY(less_equal(a[0], a[1])));
  });
  m["gt"] = fn({P::kValue, P::kValue}, false, [](const Args& a) -> Result<Value> {
    return Value::of(!TRY(less_equal(a[0], a[1])));
  });
  m["ge"] = fn({P::kValue, P::kValue}, false,
               [](const Args& a) -> Result<Value> { return Value::of(!TRY(less(a[0], a[1]))); });
  return m;
}

}  // namespace

const FunctionMap& builtin_functions() {
  static const FunctionMap builtins = make_builtins();
  return builtins;
}

}  // namespace berth::tmpl
