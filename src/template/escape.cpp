#include "template/escape.h"

#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\0': out += "\xEF\xBF\xBD"; break;  // U+FFFD
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\'': out += "\\'"; break;
        case '"': out += "\\\""; break;
        case '<': out += "\\u003C"; break;
        case '>': out += "\\u003E"; break;
        case '&': out += "\\u0026"; break;
        case '=': out += "\\u003D"; break;
        default:
          if (c < ' ') {
            out += "\\u00";
            out.push_back(kUpperHex[c >> 4]);
            out.push_back(kUpperHex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    DecodedRune d = decode_rune(s.substr(i));
    if (is_print(d.rune)) {
      out.append(s.substr(i, d.size));
    } else {
      out += "\\u";  // Go's %04X: at least four digits
      int shift = d.rune > 0xFFFF ? (d.rune > 0xFFFFF ? 20 : 16) : 12;
      for (; shift >= 0; shift -= 4) out.push_back(kUpperHex[(d.rune >> shift) & 0xF]);
    }
    i += d.size;
  }
  return out;
}

std::string url_query_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kUpperHex[c >> 4]);
      out.push_back(kUpperHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace berth::tmpl
