#include "base/strings.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace berth {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::pair<std::string_view, std::string_view> split_once(std::string_view s, char sep, bool* found) {
  size_t pos = s.find(sep);
  if (found) *found = pos != std::string_view::npos;
  if (pos == std::string_view::npos) return {s, {}};
  return {s.substr(0, pos), s.substr(pos + 1)};
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

namespace {
template <typename T>
Result<T> parse_integer(std::string_view s, std::string_view what) {
  T value{};
  std::string_view body = s;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (body.empty() || ec != std::errc() || ptr != body.data() + body.size())
    return make_error(ErrorCode::kInvalidArgument, "invalid {} \"{}\"", what, s);
  return value;
}
}  // namespace

Result<int64_t> parse_int64(std::string_view s) { return parse_integer<int64_t>(s, "integer"); }
Result<uint64_t> parse_uint64(std::string_view s) {
  if (!s.empty() && s.front() == '-')
    return make_error(ErrorCode::kInvalidArgument, "invalid unsigned integer \"{}\"", s);
  return parse_integer<uint64_t>(s, "unsigned integer");
}
Result<int> parse_int(std::string_view s) { return parse_integer<int>(s, "integer"); }

Result<int64_t> parse_ram_bytes(std::string_view s) {
  std::string_view t = trim(s);
  size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
  std::string number(t.substr(0, i));
  std::string unit = to_lower(trim(t.substr(i)));
  char* end = nullptr;
  double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || value < 0)
    return make_error(ErrorCode::kInvalidArgument, "invalid size: '{}'", s);
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  double mult = 1;
  if (unit.empty()) mult = 1;
  else if (unit == "k") mult = 1024.0;
  else if (unit == "m") mult = 1024.0 * 1024;
  else if (unit == "g") mult = 1024.0 * 1024 * 1024;
  else if (unit == "t") mult = 1024.0 * 1024 * 1024 * 1024;
  else if (unit == "p") mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
  else return make_error(ErrorCode::kInvalidArgument, "invalid size: '{}'", s);
  return static_cast<int64_t>(value * mult);
}

Result<int64_t> parse_nano_cpus(std::string_view s) {
  std::string text(trim(s));
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value < 0)
    return make_error(ErrorCode::kInvalidArgument, "failed to parse {} as a rational number", s);
  return static_cast<int64_t>(std::llround(value * 1e9));
}

}  // namespace berth
