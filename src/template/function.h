// Template functions: Go's builtins and the docker CLI's additions. Each declares its parameter
// types as the Go function does, because text/template converts and checks arguments by the
// parameter's type ("wrong type for value; expected string; got int"), and a literal argument
// must suit it ("expected integer; found 1.5").
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "template/value.h"

namespace berth::tmpl {

enum class ParamType {
  kValue,       // reflect.Value: any value, a missing one included
  kAny,         // interface{}: any value; a missing one arrives as null
  kString,      // string
  kInt,         // int
  kStringList,  // []string: a JSON array of strings
};

// The Go spelling of a parameter type, for messages.
std::string_view param_type_name(ParamType type);

struct Function {
  std::vector<ParamType> params;
  bool variadic = false;  // the last parameter repeats (Go's ...T)
  // Returns the result, or an error whose message is the Go function's error text; the evaluator
  // prefixes "error calling NAME: ".
  std::function<Result<Value>(const std::vector<Value>& args)> call;
};

using FunctionMap = std::map<std::string, Function, std::less<>>;

// text/template's builtins: and, call, html, index, slice, js, len, not, or, print, printf,
// println, urlquery, eq, ge, gt, le, lt, ne. "and", "or" and "call" are evaluated specially
// (and/or short-circuit); their entries give their signatures.
const FunctionMap& builtin_functions();

// Builtins plus docker's basicFunctions (json, split, join, title, lower, upper, pad,
// truncate): what `--format` templates run with.
const FunctionMap& docker_functions();
// Builtins plus docker's HeaderFunctions, which leave a table header's column names as they are
// (json, split, join, title, lower, upper and truncate return their first argument).
const FunctionMap& docker_header_functions();

// A function error with Go's message.
Error function_error(std::string message);

}  // namespace berth::tmpl
