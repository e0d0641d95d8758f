#include "logging/go_json.h"

namespace berth::logging {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool is_cont(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

void append_u00(std::string& out, unsigned char b) {
  out += "\\u00";
  out.push_back(kHex[b >> 4]);
  out.push_back(kHex[b & 0xF]);
}

// Shared body of both encoders; `short_tab_bf` selects encoding/json's \t \b \f.
void append_json_string(std::string& out, std::string_view s, bool short_tab_bf) {
  out.push_back('"');
  size_t start = 0;
  size_t i = 0;
  auto flush = [&] { out.append(s.data() + start, i - start); };
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
        ++i;
        continue;
      }
      flush();
      switch (b) {
        case '\\':
        case '"':
          out.push_back('\\');
          out.push_back(static_cast<char>(b));
          break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t':
          if (short_tab_bf)
            out += "\\t";
          else
            append_u00(out, b);
          break;
        case '\b':
          if (short_tab_bf)
            out += "\\b";
          else
            append_u00(out, b);
          break;
        case '\f':
          if (short_tab_bf)
            out += "\\f";
          else
            append_u00(out, b);
          break;
        default: append_u00(out, b);
      }
      start = ++i;
      continue;
    }
    uint32_t rune = 0;
    bool valid = false;
    size_t size = decode_utf8(s, i, &rune, &valid);
    if (!valid) {
      flush();
      out += "\\ufffd";
      start = ++i;
      continue;
    }
    if (rune == 0x2028 || rune == 0x2029) {
      flush();
      out += "\\u202";
      out.push_back(kHex[rune & 0xF]);
      i += size;
      start = i;
      continue;
    }
    i += size;
  }
  flush();
  out.push_back('"');
}

}  // namespace

size_t decode_utf8(std::string_view s, size_t i, uint32_t* rune, bool* valid) {
  auto at = [&](size_t k) -> unsigned char {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  unsigned char c0 = at(0);
  *valid = true;
  if (c0 < 0x80) {
    *rune = c0;
    return 1;
  }
  // The accepted second-byte range depends on the first byte (no overlongs, no surrogates,
  // nothing above U+10FFFF), exactly as Go's first/acceptRanges tables.
  unsigned char lo = 0x80, hi = 0xBF;
  size_t len = 0;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    len = 2;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    len = 3;
    if (c0 == 0xE0) lo = 0xA0;
    if (c0 == 0xED) hi = 0x9F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    len = 4;
    if (c0 == 0xF0) lo = 0x90;
    if (c0 == 0xF4) hi = 0x8F;
  }
  if (len == 0 || i + len > s.size()) {
    *valid = false;
    *rune = 0xFFFD;
    return 1;
  }
  unsigned char c1 = at(1);
  if (c1 < lo || c1 > hi) {
    *valid = false;
    *rune = 0xFFFD;
    return 1;
  }
  for (size_t k = 2; k < len; ++k) {
    if (!is_cont(at(k))) {
      *valid = false;
      *rune = 0xFFFD;
      return 1;
    }
  }
  if (len == 2) {
    *rune = (uint32_t{c0} & 0x1F) << 6 | (c1 & 0x3F);
  } else if (len == 3) {
    *rune = (uint32_t{c0} & 0x0F) << 12 | (uint32_t{c1} & 0x3F) << 6 | (at(2) & 0x3F);
  } else {
    *rune = (uint32_t{c0} & 0x07) << 18 | (uint32_t{c1} & 0x3F) << 12 |
            (uint32_t{at(2)} & 0x3F) << 6 | (at(3) & 0x3F);
  }
  return len;
}

void append_docker_json_string(std::string& out, std::string_view s) {
  append_json_string(out, s, false);
}

void append_go_json_string(std::string& out, std::string_view s) {
  append_json_string(out, s, true);
}

std::string go_json_string_map(const std::vector<LogAttr>& attrs) {
  std::string out = "{";
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_go_json_string(out, attrs[i].first);
    out.push_back(':');
    append_go_json_string(out, attrs[i].second);
  }
  out.push_back('}');
  return out;
}

}  // namespace berth::logging
