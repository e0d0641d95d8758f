#include "cli/flags/values.h"

#include <cmath>
#include <limits>

#include "base/strings.h"
#include "template/go_number.h"
#include "template/go_quote.h"

namespace berth::cli {
namespace {

Error invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

// Go's strconv error text: `strconv.ParseInt: parsing "x": invalid syntax`.
Error strconv_error(std::string_view func, std::string_view text, bool range) {
  return invalid(std::string("strconv.") + std::string(func) + ": parsing " + tmpl::go_quote(text) +
                 (range ? ": value out of range" : ": invalid syntax"));
}

// True when `text` is a base-0 integer literal as strconv accepts one (digits, prefixes, '_').
bool looks_numeric(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return std::isdigit(static_cast<unsigned char>(text[0])) != 0;
}

}  // namespace

Result<bool> parse_go_bool(std::string_view text) {
  static const char* kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char* kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (const char* t : kTrue) {
    if (text == t) return true;
  }
  for (const char* f : kFalse) {
    if (text == f) return false;
  }
  return strconv_error("ParseBool", text, false);
}

Status BoolValue::set(std::string_view text) {
  *target_ = TRY(parse_go_bool(text));
  return ok_status();
}

Status StringValue::set(std::string_view text) {
  *target_ = std::string(text);
  return ok_status();
}

Status IntValue::set(std::string_view text) {
  std::string_view func = unsigned_ ? "ParseUint" : "ParseInt";
  if (unsigned_) {
    auto v = tmpl::go_parse_uint(text);
    if (!v) {
      // A well-formed literal that does not fit is "value out of range", as strconv says.
      bool range = looks_numeric(text) && text[0] != '-' && text[0] != '+';
      return strconv_error(func, text, range);
    }
    uint64_t max = bits_ >= 64 ? std::numeric_limits<uint64_t>::max() : ((uint64_t{1} << bits_) - 1);
    if (*v > max) return strconv_error(func, text, true);
    *target_ = static_cast<int64_t>(*v);
    return ok_status();
  }
  auto v = tmpl::go_parse_int(text);
  if (!v) return strconv_error(func, text, looks_numeric(text) && tmpl::go_parse_float(text));
  if (bits_ < 64) {
    int64_t max = (int64_t{1} << (bits_ - 1)) - 1;
    if (*v > max || *v < -max - 1) return strconv_error(func, text, true);
  }
  *target_ = *v;
  return ok_status();
}

Result<int64_t> parse_go_duration(std::string_view orig) {
  std::string quoted = tmpl::go_quote(orig);
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return invalid("time: invalid duration " + quoted);
  double total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || std::isdigit(static_cast<unsigned char>(s[0])))) {
      return invalid("time: invalid duration " + quoted);
    }
    size_t i = 0;
    double value = 0;
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      value = value * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        value += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return invalid("time: invalid duration " + quoted);
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !std::isdigit(static_cast<unsigned char>(s[u]))) ++u;
    if (u == 0) return invalid("time: missing unit in duration " + quoted);
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    double mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") mult = 1e3;
    else if (unit == "ms") mult = 1e6;
    else if (unit == "s") mult = 1e9;
    else if (unit == "m") mult = 60e9;
    else if (unit == "h") mult = 3600e9;
    else return invalid("time: unknown unit " + tmpl::go_quote(unit) + " in duration " + quoted);
    total += value * mult;
    if (total > 9.223372036854775807e18) return invalid("time: invalid duration " + quoted);
  }
  auto nanos = static_cast<int64_t>(std::llround(total));
  return neg ? -nanos : nanos;
}

std::string format_go_duration(int64_t d) {
  if (d == 0) return "0s";
  bool neg = d < 0;
  uint64_t u = neg ? static_cast<uint64_t>(-(d + 1)) + 1 : static_cast<uint64_t>(d);
  std::string out;
  auto frac = [](uint64_t v, int prec, std::string& digits) {
    // Appends v's fractional digits (prec of them) without trailing zeros; returns v / 10^prec.
    bool print = false;
    std::string rev;
    for (int i = 0; i < prec; ++i) {
      int digit = static_cast<int>(v % 10);
      print = print || digit != 0;
      if (print) rev.insert(rev.begin(), static_cast<char>('0' + digit));
      v /= 10;
    }
    if (print) digits = "." + rev;
    return v;
  };
  if (u < 1000000000ULL) {
    int prec;
    std::string unit;
    if (u < 1000) {
      return (neg ? "-" : "") + std::to_string(u) + "ns";
    } else if (u < 1000000) {
      prec = 3;
      unit = "\xc2\xb5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    std::string digits;
    uint64_t whole = frac(u, prec, digits);
    return (neg ? "-" : "") + std::to_string(whole) + digits + unit;
  }
  std::string digits;
  uint64_t secs = frac(u, 9, digits);
  out = std::to_string(secs % 60) + digits + "s";
  uint64_t mins = secs / 60;
  if (mins > 0) {
    out = std::to_string(mins % 60) + "m" + out;
    uint64_t hours = mins / 60;
    if (hours > 0) out = std::to_string(hours) + "h" + out;
  }
  return (neg ? "-" : "") + out;
}

Status DurationValue::set(std::string_view text) {
  *target_ = TRY(parse_go_duration(text));
  return ok_status();
}

std::string DurationValue::str() const { return format_go_duration(*target_); }

Status ListValue::set(std::string_view text) {
  if (validator_) {
    target_->push_back(TRY(validator_(text)));
  } else {
    target_->emplace_back(text);
  }
  return ok_status();
}

std::string ListValue::str() const {
  if (target_->empty()) return "";
  return "[" + join(*target_, " ") + "]";
}

Status StringSliceValue::set(std::string_view text) {
  // pflag reads the value as one CSV record; quotes are rare in practice, plain commas split.
  std::vector<std::string> parts = text.empty() ? std::vector<std::string>{} : split(text, ',');
  if (!changed_) target_->clear();
  changed_ = true;
  for (auto& p : parts) target_->push_back(std::move(p));
  return ok_status();
}

std::string StringSliceValue::str() const { return "[" + join(*target_, ",") + "]"; }

Status MapValue::set(std::string_view text) {
  std::string value(text);
  if (validator_) value = TRY(validator_(text));
  auto [k, v] = split_once(value, '=');
  (*target_)[std::string(k)] = std::string(v);
  return ok_status();
}

std::string MapValue::str() const {
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, v] : *target_) {
    if (!first) out += " ";
    first = false;
    out += k + ":" + v;
  }
  return out + "]";
}

Status ParsedIntValue::set(std::string_view text) {
  *target_ = TRY(parser_(text));
  return ok_status();
}

}  // namespace berth::cli
