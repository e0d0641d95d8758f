#include "client/timestamp.h"

#include <ctime>
#include <algorithm>
#include <regex>

#include <fmt/format.h>

#include "base/time_format.h"

namespace berth::client {
namespace {

// time.ParseDuration for the common forms ("10m", "1h30m", "1.5s").
bool parse_duration(std::string_view text, int64_t* nanos) {
  static const std::regex kDuration(R"(^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$)");
  std::string s(text);
  if (s == "0" || !std::regex_match(s, kDuration)) return false;
  static const std::regex kPart(R"((\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))");
  double total = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPart); it != std::sregex_iterator(); ++it) {
    double v = std::stod((*it)[1].str());
    std::string unit = (*it)[2].str();
    double mult = unit == "ns" ? 1 : unit == "ms" ? 1e6 : unit == "s" ? 1e9 : unit == "m" ? 60e9
                  : unit == "h" ? 3600e9 : 1e3;
    total += v * mult;
  }
  *nanos = static_cast<int64_t>(total) * (s[0] == '-' ? -1 : 1);
  return true;
}

bool is_unix_timestamp(std::string_view s) {
  static const std::regex kUnix(R"(^\d+(\.\d{1,9})?$)");
  return std::regex_match(std::string(s), kUnix);
}

}  // namespace

Result<std::string> get_timestamp(std::string_view value, int64_t now) {
  int64_t d = 0;
  if (parse_duration(value, &d)) return std::to_string((now - d) / 1000000000);
  std::string v(value);
  bool has_zone = v.find_first_of("zZ+") != std::string::npos ||
                  std::count(v.begin(), v.end(), '-') == 3;
  // Date, date-time without seconds, with seconds, with fraction, with or without zone.
  static const std::regex kTime(
      R"(^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?)?(Z|z|[+-]\d{2}:\d{2})?$)");
  std::smatch m;
  if (std::regex_match(v, m, kTime)) {
    struct tm tm {};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = m[4].matched ? std::stoi(m[4]) : 0;
    tm.tm_min = m[5].matched ? std::stoi(m[5]) : 0;
    tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
    int64_t frac = 0;
    if (m[7].matched) {
      std::string digits = m[7].str().substr(1);
      digits.resize(9, '0');
      frac = std::stoll(digits.substr(0, 9));
    }
    int64_t secs;
    if (m[8].matched) {
      secs = static_cast<int64_t>(timegm(&tm));
      std::string z = m[8].str();
      if (z != "Z" && z != "z") {
        int off = (std::stoi(z.substr(1, 2)) * 3600 + std::stoi(z.substr(4, 2)) * 60);
        secs -= z[0] == '-' ? -off : off;
      }
    } else {
      // docker parses zone-less times in the local zone.
      tm.tm_isdst = -1;
      secs = static_cast<int64_t>(mktime(&tm));
    }
    return fmt::format("{}.{:09}", secs, frac);
  }
  if (v.find('-') != std::string::npos || has_zone) {
    return make_error(ErrorCode::kInvalidArgument, "parsing time \"{}\": cannot parse", v);
  }
  if (!is_unix_timestamp(v)) {
    return make_error(ErrorCode::kInvalidArgument,
                      "failed to parse value as time or duration: \"{}\"", v);
  }
  return v;
}

}  // namespace berth::client
