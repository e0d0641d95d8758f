// The docker CLI's template functions (github.com/docker/cli/templates): basicFunctions for
// executing a format, HeaderFunctions for rendering a table's header row.
#include <string>

#include "template/function.h"
#include "template/json_encode.h"
#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

using Args = std::vector<Value>;
using P = ParamType;

// strings.Split; an empty separator splits after each UTF-8 sequence.
Value split(const std::string& s, const std::string& sep) {
  Json out = Json::array();
  if (sep.empty()) {
    std::string_view rest = s;
    while (!rest.empty()) {
      DecodedRune d = decode_rune(rest);
      std::string piece;
      if (d.rune == kRuneError && d.size == 1) {
        append_rune(piece, kRuneError);
      } else {
        piece = std::string(rest.substr(0, d.size));
      }
      out.push_back(std::move(piece));
      rest.remove_prefix(d.size);
    }
    return Value::own(std::move(out));
  }
  size_t start = 0;
  for (size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
    out.push_back(s.substr(start, at - start));
    start = at + sep.size();
  }
  out.push_back(s.substr(start));
  return Value::own(std::move(out));
}

// strings.Join over a []string argument (validated by the evaluator).
Value join(const Value& elems, const std::string& sep) {
  std::string out;
  bool first = true;
  for (const Json& e : elems.json()) {
    if (!first) out += sep;
    first = false;
    out += e.get_ref<const std::string&>();
  }
  return Value::of(std::move(out));
}

// strings.Title's word boundaries.
bool is_separator(char32_t r) {
  if (r <= 0x7F) {
    return !((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
             r == '_');
  }
  if (is_letter(r) || is_digit(r)) return false;
  return is_space(r);
}

// strings.Title: upper-cases the first letter of each word.
std::string title(std::string_view s) {
  std::string out;
  char32_t prev = ' ';
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    append_rune(out, is_separator(prev) ? to_upper(d.rune) : d.rune);
    prev = d.rune;
    s.remove_prefix(d.size);
  }
  return out;
}

Result<Value> pad(const Args& a) {
  const std::string& source = a[0].as_string();
  if (source.empty()) return a[0];
  int64_t prefix = a[1].as_int();
  int64_t suffix = a[2].as_int();
  if (prefix < 0 || suffix < 0) return function_error("strings: negative Repeat count");
  return Value::of(std::string(static_cast<size_t>(prefix), ' ') + source +
                   std::string(static_cast<size_t>(suffix), ' '));
}

Result<Value> truncate(const Args& a) {
  const std::string& source = a[0].as_string();
  int64_t length = a[1].as_int();
  if (length > static_cast<int64_t>(source.size())) return a[0];
  if (length < 0) {
    return function_error("runtime error: slice bounds out of range [:" + std::to_string(length) +
                          "]");
  }
  return Value::of(source.substr(0, static_cast<size_t>(length)));  // bytes, as Go slices
}

Result<Value> first_arg(const Args& a) {
  return a[0];
}

FunctionMap make_docker_functions() {
  FunctionMap m = builtin_functions();
  m["json"] = Function{{P::kAny}, false, [](const Args& a) -> Result<Value> {
                         return Value::of(go_json_marshal(a[0], /*escape_html=*/false));
                       }};
  m["split"] = Function{{P::kString, P::kString}, false, [](const Args& a) -> Result<Value> {
                          return split(a[0].as_string(), a[1].as_string());
                        }};
  m["join"] = Function{{P::kStringList, P::kString}, false, [](const Args& a) -> Result<Value> {
                         return join(a[0], a[1].as_string());
                       }};
  m["title"] = Function{{P::kString}, false, [](const Args& a) -> Result<Value> {
                          return Value::of(title(a[0].as_string()));
                        }};
  m["lower"] = Function{{P::kString}, false, [](const Args& a) -> Result<Value> {
                          return Value::of(string_to_lower(a[0].as_string()));
                        }};
  m["upper"] = Function{{P::kString}, false, [](const Args& a) -> Result<Value> {
                          return Value::of(string_to_upper(a[0].as_string()));
                        }};
  m["pad"] = Function{{P::kString, P::kInt, P::kInt}, false, pad};
  m["truncate"] = Function{{P::kString, P::kInt}, false, truncate};
  return m;
}

FunctionMap make_header_functions() {
  FunctionMap m = make_docker_functions();
  m["json"] = Function{{P::kString}, false, first_arg};
  m["split"] = Function{{P::kString, P::kString}, false, first_arg};
  m["join"] = Function{{P::kString, P::kString}, false, first_arg};
  m["title"] = Function{{P::kString}, false, first_arg};
  m["lower"] = Function{{P::kString}, false, first_arg};
  m["upper"] = Function{{P::kString}, false, first_arg};
  m["truncate"] = Function{{P::kString, P::kInt}, false, first_arg};
  return m;  // "pad" keeps padding, so headers line up with padded columns
}

}  // namespace

const FunctionMap& docker_functions() {
  static const FunctionMap functions = make_docker_functions();
  return functions;
}

const FunctionMap& docker_header_functions() {
  static const FunctionMap functions = make_header_functions();
  return functions;
}

}  // namespace berth::tmpl
