// UTF-8 decoding and encoding with Go's rules: an invalid byte decodes as U+FFFD of width 1,
// so text that is not valid UTF-8 still walks forward one byte at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace berth::tmpl {

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr char32_t kMaxRune = 0x10FFFF;

struct DecodedRune {
  char32_t rune;
  size_t size;  // bytes consumed; 0 only for empty input
};

// The first rune of `s` (utf8.DecodeRuneInString).
DecodedRune decode_rune(std::string_view s);
// The last rune of `s` (utf8.DecodeLastRuneInString).
DecodedRune decode_last_rune(std::string_view s);
// Appends `r` as UTF-8; invalid code points become U+FFFD (utf8.AppendRune).
void append_rune(std::string& out, char32_t r);
size_t rune_count(std::string_view s);
// Reports whether `r` is a Unicode scalar value (utf8.ValidRune).
bool valid_rune(char32_t r);
bool valid_utf8(std::string_view s);

}  // namespace berth::tmpl
