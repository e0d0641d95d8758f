// The few Unicode properties the template language needs. Go consults full Unicode tables;
// these follow them exactly for ASCII and approximate the rest with the common ranges (see
// each function), which is what `--format` strings and container metadata contain.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace berth::tmpl {

// unicode.IsLetter: ASCII letters, plus non-ASCII code points outside the punctuation, symbol,
// space and control blocks listed in unicode.cpp.
bool is_letter(char32_t r);
// unicode.IsDigit: ASCII digits and the other Nd blocks' most common members.
bool is_digit(char32_t r);
// unicode.IsSpace.
bool is_space(char32_t r);
// strconv.IsPrint: printable, ASCII space included, other spaces and controls excluded.
bool is_print(char32_t r);
// Terminal columns of a rune as go-runewidth counts them: 0 for combining marks and
// zero-width characters, 2 for East Asian wide and fullwidth characters, 1 otherwise.
int rune_width(char32_t r);
// Sum of rune_width over a UTF-8 string.
size_t display_width(std::string_view s);

// unicode.ToUpper / ToLower for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic; other
// runes are returned unchanged.
char32_t to_upper(char32_t r);
char32_t to_lower(char32_t r);
// strings.ToUpper / strings.ToLower over UTF-8 text; an invalid byte becomes U+FFFD.
std::string string_to_upper(std::string_view s);
std::string string_to_lower(std::string_view s);

}  // namespace berth::tmpl
