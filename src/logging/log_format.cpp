#include "logging/log_format.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace berth::logging {
namespace {

// Go's url.QueryEscape: unreserved characters stay, ' ' becomes '+', the rest %XX.
void append_query_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
}

}  // namespace

std::string format_rfc3339_nano_fixed(int64_t unix_nanos) {
  int64_t secs = unix_nanos / 1'000'000'000;
  int64_t frac = unix_nanos % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    secs -= 1;
  }
  auto tt = static_cast<time_t>(secs);
  struct tm tm_utc {};
  gmtime_r(&tt, &tm_utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", tm_utc.tm_year + 1900,
                     tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min,
                     tm_utc.tm_sec, frac);
}

std::string format_docker_log_line(const LogMessage& msg, bool timestamps, bool details) {
  std::string out;
  if (timestamps) {
    out += format_rfc3339_nano_fixed(msg.time_ns);
    out.push_back(' ');
  }
  if (details) {
    std::vector<LogAttr> attrs = msg.attrs;
    std::stable_sort(attrs.begin(), attrs.end(),
                     [](const LogAttr& a, const LogAttr& b) { return a.first < b.first; });
    for (size_t i = 0; i < attrs.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_query_escaped(out, attrs[i].first);
      out.push_back('=');
      append_query_escaped(out, attrs[i].second);
    }
    out.push_back(' ');
  }
  out += msg.line;
  return out;
}

}  // namespace berth::logging
