// strconv's number parsing with base 0, as the template parser applies it to numeric literals:
// 0x/0o/0b prefixes, a leading 0 for octal, and '_' between digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace berth::tmpl {

// strconv.ParseUint(s, 0, 64); nullopt on a syntax or range error.
std::optional<uint64_t> go_parse_uint(std::string_view s);
// strconv.ParseInt(s, 0, 64).
std::optional<int64_t> go_parse_int(std::string_view s);
// strconv.ParseFloat(s, 64) for the decimal and hexadecimal forms a template can contain;
// nullopt on a syntax error or overflow (an underflow reads as zero, as in Go).
std::optional<double> go_parse_float(std::string_view s);

}  // namespace berth::tmpl
