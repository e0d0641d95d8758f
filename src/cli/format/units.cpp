#include "cli/format/units.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <vector>

#include <fmt/format.h>

#include "base/strings.h"
#include "base/time_format.h"
#include "template/go_fmt.h"
#include "template/go_number.h"
#include "template/go_quote.h"
#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::cli {
namespace {

int64_t g_test_now = 0;

std::string sized(double size, double base, const char* const* units, int n, const char* format) {
  int i = 0;
  while (size >= base && i < n - 1) {
    size /= base;
    ++i;
  }
  return tmpl::go_sprintf(format, {tmpl::Value::of(size), tmpl::Value::of(std::string(units[i]))});
}

constexpr const char* kDecimal[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
constexpr const char* kBinary[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

Result<int64_t> parse_size(std::string_view text, bool binary) {
  auto invalid = [&] { return make_error(ErrorCode::kInvalidArgument, "invalid size: '{}'", text); };
  size_t sep = text.find_last_of("01234567890. ");
  if (sep == std::string_view::npos) return invalid();
  std::string_view num;
  std::string_view sfx;
  if (text[sep] != ' ') {
    num = text.substr(0, sep + 1);
    sfx = text.substr(sep + 1);
  } else {
    num = text.substr(0, sep);
    sfx = text.substr(sep + 1);
  }
  auto value = tmpl::go_parse_float(num);
  if (!value) {
    return make_error(ErrorCode::kInvalidArgument, "strconv.ParseFloat: parsing {}: invalid syntax",
                      tmpl::go_quote(num));
  }
  double size = *value;
  if (size < 0) return invalid();
  if (sfx.empty()) return static_cast<int64_t>(size);
  auto bad_suffix = [&] {
    return make_error(ErrorCode::kInvalidArgument, "invalid suffix: '{}'", sfx);
  };
  if (sfx.size() > 3) return bad_suffix();
  std::string lower = to_lower(sfx);
  if (lower[0] == 'b') {
    if (lower.size() > 1) return bad_suffix();
    return static_cast<int64_t>(size);
  }
  double k = binary ? 1024.0 : 1000.0;
  double mult;
  switch (lower[0]) {
    case 'k': mult = k; break;
    case 'm': mult = k * k; break;
    case 'g': mult = k * k * k; break;
    case 't': mult = k * k * k * k; break;
    case 'p': mult = k * k * k * k * k; break;
    default: return make_error(ErrorCode::kInvalidArgument, "invalid suffix: '{}'", lower);
  }
  if ((lower.size() == 2 && lower[1] != 'b') || (lower.size() == 3 && lower.substr(1) != "ib")) {
    return make_error(ErrorCode::kInvalidArgument, "invalid suffix: '{}'", lower);
  }
  return static_cast<int64_t>(size * mult);
}

}  // namespace

std::string human_size(double size, int precision) {
  std::string format = fmt::format("%.{}g%s", precision);
  return sized(size, 1000.0, kDecimal, 9, format.c_str());
}

std::string bytes_size(double size) { return sized(size, 1024.0, kBinary, 9, "%.4g%s"); }

std::string human_duration_ns(int64_t nanos) {
  double secs_f = static_cast<double>(nanos) / 1e9;
  int64_t seconds = static_cast<int64_t>(secs_f);
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return fmt::format("{} seconds", seconds);
  int64_t minutes = static_cast<int64_t>(secs_f / 60);
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return fmt::format("{} minutes", minutes);
  double hours_f = secs_f / 3600;
  int64_t hours = static_cast<int64_t>(hours_f + 0.5);
  if (hours == 1) return "About an hour";
  if (hours < 48) return fmt::format("{} hours", hours);
  if (hours < 24 * 7 * 2) return fmt::format("{} days", hours / 24);
  if (hours < 24 * 30 * 2) return fmt::format("{} weeks", hours / 24 / 7);
  if (hours < 24 * 365 * 2) return fmt::format("{} months", hours / 24 / 30);
  return fmt::format("{} years", static_cast<int64_t>(hours_f) / 24 / 365);
}

Result<int64_t> ram_in_bytes(std::string_view text) { return parse_size(text, true); }
Result<int64_t> from_human_size(std::string_view text) { return parse_size(text, false); }

std::string go_time_string(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  localtime_r(&t, &tm);
  char buf[128];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z %Z", &tm);
  return buf;
}

std::string go_time_string_rfc3339(const std::string& text) {
  auto nanos = parse_rfc3339_ns(text);
  if (!nanos.ok()) return text;
  // The zone as written: "Z" is UTC, "+hh:mm" a fixed zone Go names by its offset.
  std::string zone_name = "UTC";
  int offset = 0;
  size_t tpos = text.find('T');
  size_t zpos = text.find_first_of("Z+-", tpos == std::string::npos ? 0 : tpos);
  if (zpos != std::string::npos && text[zpos] != 'Z') {
    int h = std::atoi(text.substr(zpos + 1, 2).c_str());
    int m = std::atoi(text.substr(zpos + 4, 2).c_str());
    offset = (h * 3600 + m * 60) * (text[zpos] == '-' ? -1 : 1);
    // A parsed offset is an unnamed fixed zone, which Go prints as the offset again.
    zone_name = fmt::format("{}{:02}{:02}", offset < 0 ? '-' : '+', h, m);
  }
  int64_t secs = *nanos / 1000000000;
  int64_t frac = *nanos % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  time_t t = static_cast<time_t>(secs + offset);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  std::string out = buf;
  if (frac != 0) {
    std::string digits = fmt::format("{:09}", frac);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  int abs = offset < 0 ? -offset : offset;
  out += fmt::format(" {}{:02}{:02} {}", offset < 0 ? '-' : '+', abs / 3600, abs % 3600 / 60, zone_name);
  return out;
}

int64_t now_unix_nanos() {
  if (g_test_now != 0) return g_test_now;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void set_now_for_test(int64_t unix_nanos) { g_test_now = unix_nanos; }

std::string time_ago(int64_t unix_seconds) {
  return human_duration_ns(now_unix_nanos() - unix_seconds * 1000000000LL) + " ago";
}

std::string truncate_id(std::string_view id) {
  if (size_t colon = id.find(':'); colon != std::string_view::npos) id.remove_prefix(colon + 1);
  return std::string(id.substr(0, 12));
}

std::string ellipsis(std::string_view s, int width) {
  if (width <= 0) return "";
  std::vector<std::pair<char32_t, size_t>> runes;  // rune and its byte offset
  for (size_t pos = 0; pos < s.size();) {
    tmpl::DecodedRune d = tmpl::decode_rune(s.substr(pos));
    runes.emplace_back(d.rune, pos);
    pos += d.size;
  }
  if (runes.empty()) return "";
  auto prefix = [&](size_t n) {
    return std::string(s.substr(0, n < runes.size() ? runes[n].second : s.size()));
  };
  if (width == 1) return prefix(1);
  std::vector<int> cumulative;
  int total = 0;
  for (const auto& [r, off] : runes) {
    // docker's charWidth: East Asian wide and fullwidth count 2, everything else 1.
    total += tmpl::rune_width(r) == 2 ? 2 : 1;
    cumulative.push_back(total);
  }
  if (total <= width) return std::string(s);
  for (size_t i = 0; i + 1 < cumulative.size(); ++i) {
    if (cumulative[i] <= width - 1 && cumulative[i + 1] > width - 1) {
      return prefix(i + 1) + "\xe2\x80\xa6";
    }
  }
  return std::string(s);
}

std::string go_quote(std::string_view s) { return tmpl::go_quote(s); }

std::string familiar_name(std::string_view ref) {
  std::string_view r = ref;
  if (r.starts_with("docker.io/library/")) {
    r.remove_prefix(18);
  } else if (r.starts_with("docker.io/")) {
    r.remove_prefix(10);
  }
  return std::string(r);
}

}  // namespace berth::cli
