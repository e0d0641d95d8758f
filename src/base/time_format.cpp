#include "base/time_format.h"

#include <ctime>

#include <fmt/format.h>

namespace berth {

std::string format_rfc3339_nano_ns(int64_t unix_nanos) {
  int64_t secs = unix_nanos / 1'000'000'000;
  int64_t frac = unix_nanos % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    secs -= 1;
  }
  time_t tt = static_cast<time_t>(secs);
  struct tm tm_utc {};
  gmtime_r(&tt, &tm_utc);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm_utc.tm_year + 1900,
                                tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min,
                                tm_utc.tm_sec);
  if (frac != 0) {
    std::string digits = fmt::format("{:09}", frac);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  out += "Z";
  return out;
}

std::string format_rfc3339_nano(std::chrono::system_clock::time_point t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  return format_rfc3339_nano_ns(ns);
}

int64_t unix_nanos_now() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

Result<int64_t> parse_rfc3339_ns(std::string_view text) {
  auto bad = [&] { return make_error(ErrorCode::kInvalidArgument, "invalid timestamp \"{}\"", text); };
  // YYYY-MM-DDTHH:MM:SS
  if (text.size() < 19) return bad();
  auto num = [&](size_t pos, size_t len, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, mon, day, hour, min, sec;
  if (!num(0, 4, year) || text[4] != '-' || !num(5, 2, mon) || text[7] != '-' || !num(8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !num(11, 2, hour) || text[13] != ':' ||
      !num(14, 2, min) || text[16] != ':' || !num(17, 2, sec))
    return bad();
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return bad();
    while (digits++ < 9) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos == text.size()) return bad();
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh, om;
    if (pos + 6 > text.size() || !num(pos + 1, 2, oh) || text[pos + 3] != ':' || !num(pos + 4, 2, om))
      return bad();
    offset = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();
  struct tm tm_utc {};
  tm_utc.tm_year = year - 1900;
  tm_utc.tm_mon = mon - 1;
  tm_utc.tm_mday = day;
  tm_utc.tm_hour = hour;
  tm_utc.tm_min = min;
  tm_utc.tm_sec = sec;
  int64_t secs = static_cast<int64_t>(timegm(&tm_utc)) - offset;
  return secs * 1'000'000'000 + nanos;
}

}  // namespace berth
