#include "image/go_duration.h"

#include <cctype>
#include <string>

namespace berth::image {

Result<int64_t> parse_go_duration_ns(std::string_view text, bool allow_sign) {
  if (text.empty()) return Error(ErrorCode::kInvalidArgument, "empty duration");
  bool negative = allow_sign && text.front() == '-';
  if (negative || (allow_sign && text.front() == '+')) text.remove_prefix(1);
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (start == i) return make_error(ErrorCode::kInvalidArgument, "invalid duration {}", text);
    double value = std::stod(std::string(text.substr(start, i - start)));
    size_t unit_start = i;
    while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.')
      ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double scale;
    if (unit == "ns")
      scale = 1;
    else if (unit == "us" || unit == "µs")
      scale = 1e3;
    else if (unit == "ms")
      scale = 1e6;
    else if (unit == "s")
      scale = 1e9;
    else if (unit == "m")
      scale = 60e9;
    else if (unit == "h")
      scale = 3600e9;
    else
      return make_error(ErrorCode::kInvalidArgument, "invalid duration {}", text);
    total += value * scale;
  }
  return static_cast<int64_t>(negative ? -total : total);
}

}  // namespace berth::image
