#include "template/go_number.h"

#include <charconv>
#include <limits>
#include <string>
#include <system_error>

namespace berth::tmpl {
namespace {

char lower(char c) {
  return static_cast<char>(c | ('x' - 'X'));
}

// strconv.underscoreOK: underscores only between digits, or between a base prefix and a digit.
bool underscore_ok(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<uint64_t> go_parse_uint(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view original = s;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && lower(s[1]) == 'b') {
      base = 2, s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'o') {
      base = 8, s.remove_prefix(2);
    } else if (s.size() >= 3 && lower(s[1]) == 'x') {
      base = 16, s.remove_prefix(2);
    } else {
      base = 8, s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  bool underscores = false;
  for (char c : s) {
    unsigned d = 0;
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (lower(c) >= 'a' && lower(c) <= 'z') {
      d = static_cast<unsigned>(lower(c) - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    if (n > (std::numeric_limits<uint64_t>::max() - d) / base) return std::nullopt;  // range
    n = n * base + d;
  }
  if (underscores && !underscore_ok(original)) return std::nullopt;
  return n;
}

std::optional<int64_t> go_parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  std::optional<uint64_t> u = go_parse_uint(s);
  if (!u) return std::nullopt;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!neg && *u >= kCutoff) return std::nullopt;
  if (neg && *u > kCutoff) return std::nullopt;
  if (neg) return static_cast<int64_t>(~*u + 1);
  return static_cast<int64_t>(*u);
}

std::optional<double> go_parse_float(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.find('_') != std::string_view::npos && !underscore_ok(s)) return std::nullopt;
  std::string text = without_underscores(s);
  std::string_view body = text;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::chars_format format = std::chars_format::general;
  bool hex = body.size() >= 2 && body[0] == '0' && lower(body[1]) == 'x';
  if (hex) {
    body.remove_prefix(2);
    // Go's hexadecimal floats need a 'p' exponent; from_chars would accept them without one.
    if (body.find_first_of("pP") == std::string_view::npos) return std::nullopt;
    format = std::chars_format::hex;
  }
  if (body.empty()) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, format);
  if (ptr != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    // Too small reads as zero; too large is an error (Go returns ±Inf with ErrRange).
    size_t exp = body.find_first_of(hex ? "pP" : "eE");
    if (exp == std::string_view::npos || exp + 1 >= body.size() || body[exp + 1] != '-') {
      return std::nullopt;
    }
    value = 0;
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return neg ? -value : value;
}

}  // namespace berth::tmpl
