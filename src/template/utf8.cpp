#include "template/utf8.h"

namespace berth::tmpl {
namespace {

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

DecodedRune decode_rune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  size_t need = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    need = 2, r = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    need = 3, r = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    need = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < need) return {kRuneError, 1};
  for (size_t i = 1; i < need; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!is_continuation(c)) return {kRuneError, 1};
    r = (r << 6) | (c & 0x3F);
  }
  // Overlong encodings, surrogates and values past U+10FFFF are invalid, as in Go.
  if (r < min || !valid_rune(r)) return {kRuneError, 1};
  return {r, need};
}

DecodedRune decode_last_rune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  size_t start = s.size() - 1;
  if (static_cast<unsigned char>(s[start]) < 0x80) return {static_cast<unsigned char>(s[start]), 1};
  size_t limit = s.size() >= 4 ? s.size() - 4 : 0;
  while (start > limit && is_continuation(static_cast<unsigned char>(s[start]))) --start;
  DecodedRune d = decode_rune(s.substr(start));
  if (start + d.size != s.size()) return {kRuneError, 1};
  return d;
}

void append_rune(std::string& out, char32_t r) {
  if (!valid_rune(r)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t rune_count(std::string_view s) {
  size_t n = 0;
  while (!s.empty()) {
    s.remove_prefix(decode_rune(s).size);
    ++n;
  }
  return n;
}

bool valid_rune(char32_t r) {
  return r <= kMaxRune && !(r >= 0xD800 && r <= 0xDFFF);
}

bool valid_utf8(std::string_view s) {
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    if (d.rune == kRuneError && d.size == 1) return false;
    s.remove_prefix(d.size);
  }
  return true;
}

}  // namespace berth::tmpl
