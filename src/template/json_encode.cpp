#include "template/json_encode.h"

#include <cstdint>

#include "template/go_float.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void encode_string(std::string& out, std::string_view s, bool escape_html) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      bool html = b == '<' || b == '>' || b == '&';
      if (b >= 0x20 && b != '"' && b != '\\' && !(html && escape_html)) {
        out.push_back(static_cast<char>(b));
      } else {
        switch (b) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\b': out += "\\b"; break;
          case '\f': out += "\\f"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default:
            out += "\\u00";
            out.push_back(kHex[b >> 4]);
            out.push_back(kHex[b & 0xF]);
        }
      }
      ++i;
      continue;
    }
    DecodedRune d = decode_rune(s.substr(i));
    if (d.rune == kRuneError && d.size == 1) {
      out += "\\ufffd";
    } else if (d.rune == 0x2028 || d.rune == 0x2029) {
      out += "\\u202";
      out.push_back(kHex[d.rune & 0xF]);
    } else {
      out.append(s.substr(i, d.size));
    }
    i += d.size;
  }
  out.push_back('"');
}

void encode(std::string& out, const Value& value, bool escape_html) {
  switch (value.kind()) {
    case Value::Kind::kMissing:
    case Value::Kind::kNull: out += "null"; break;
    case Value::Kind::kBool: out += value.as_bool() ? "true" : "false"; break;
    case Value::Kind::kInt: out += std::to_string(value.as_int()); break;
    case Value::Kind::kUint: out += std::to_string(value.as_uint()); break;
    case Value::Kind::kFloat: out += go_json_float(value.as_float()); break;
    case Value::Kind::kString: encode_string(out, value.as_string(), escape_html); break;
    case Value::Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Json& element : value.json()) {
        if (!first) out.push_back(',');
        first = false;
        encode(out, value.element(element), escape_html);
      }
      out.push_back(']');
      break;
    }
    case Value::Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, element] : value.json().items()) {
        if (!first) out.push_back(',');
        first = false;
        encode_string(out, key, escape_html);
        out.push_back(':');
        encode(out, value.element(element), escape_html);
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

std::string go_json_marshal(const Value& value, bool escape_html) {
  std::string out;
  encode(out, value, escape_html);
  return out;
}

}  // namespace berth::tmpl
