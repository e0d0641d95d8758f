#include "template/go_float.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace berth::tmpl {
namespace {

// A decimal 0.d1d2d3... x 10^dp, without trailing zeros; zero has no digits (strconv's
// decimalSlice).
struct Digits {
  std::string d;
  int dp = 0;
};

// Parses to_chars' scientific output ("1.2345e+06") of a finite, positive value.
Digits from_scientific(std::string_view s) {
  Digits digits;
  size_t e = s.find('e');
  for (char c : s.substr(0, e)) {
    if (c != '.') digits.d.push_back(c);
  }
  int exp = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
  digits.dp = exp + 1;
  while (!digits.d.empty() && digits.d.back() == '0') digits.d.pop_back();
  if (digits.d.empty()) digits.dp = 0;
  return digits;
}

// The shortest digits that round-trip (abs_value > 0).
Digits shortest_digits(double abs_value) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, abs_value, std::chars_format::scientific);
  return from_scientific(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
}

// `significant` digits, correctly rounded (abs_value > 0, significant >= 1).
Digits rounded_digits(double abs_value, int significant) {
  char buf[1100];
  auto res = std::to_chars(buf, buf + sizeof buf, abs_value, std::chars_format::scientific,
                           significant - 1);
  return from_scientific(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
}

char digit_at(const Digits& d, int i) {
  return (i >= 0 && i < static_cast<int>(d.d.size())) ? d.d[static_cast<size_t>(i)] : '0';
}

// %e: d.ddddde±dd
std::string format_e(bool neg, const Digits& d, int prec, char fmt) {
  std::string out = neg ? "-" : "";
  out.push_back(d.d.empty() ? '0' : d.d[0]);
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i) out.push_back(digit_at(d, i));
  }
  out.push_back(fmt);
  int exp = d.d.empty() ? 0 : d.dp - 1;
  out.push_back(exp < 0 ? '-' : '+');
  exp = std::abs(exp);
  if (exp < 10) out.push_back('0');
  out += std::to_string(exp);
  return out;
}

// %f: ddd.ddd
std::string format_f(bool neg, const Digits& d, int prec) {
  std::string out = neg ? "-" : "";
  if (d.dp > 0) {
    for (int i = 0; i < d.dp; ++i) out.push_back(digit_at(d, i));
  } else {
    out.push_back('0');
  }
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i) out.push_back(digit_at(d, d.dp + i - 1));
  }
  return out;
}

constexpr int kMantBits = 52;
constexpr int kBias = -1023;

// %b: the binary exponent form, -ddddp±ddd.
std::string format_b(bool neg, uint64_t mant, int exp) {
  exp -= kMantBits;
  std::string out = neg ? "-" : "";
  out += std::to_string(mant) + "p" + (exp >= 0 ? "+" : "") + std::to_string(exp);
  return out;
}

// %x: -0x1.yyyyp±dd, rounded to `prec` hex digits when prec >= 0.
std::string format_x(bool neg, uint64_t mant, int exp, int prec, char fmt) {
  if (mant == 0) exp = 0;
  mant <<= 60 - kMantBits;  // the leading 1, if any, at bit 60
  while (mant != 0 && (mant & (uint64_t{1} << 60)) == 0) {
    mant <<= 1;
    --exp;
  }
  if (prec >= 0 && prec < 15) {
    auto shift = static_cast<unsigned>(prec * 4);
    uint64_t extra = (mant << shift) & ((uint64_t{1} << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (uint64_t{1} << 59)) ++mant;
    mant <<= 60 - shift;
    if ((mant & (uint64_t{1} << 61)) != 0) {  // rounding carried into a new leading digit
      mant >>= 1;
      ++exp;
    }
  }
  const char* hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out = neg ? "-" : "";
  out.push_back('0');
  out.push_back(fmt);
  out.push_back(static_cast<char>('0' + ((mant >> 60) & 1)));
  mant <<= 4;
  if ((prec < 0 && mant != 0) || prec > 0) {
    out.push_back('.');
    for (int i = 0; prec < 0 ? mant != 0 : i < prec; ++i) {
      out.push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  }
  out.push_back(fmt == 'X' ? 'P' : 'p');
  out.push_back(exp < 0 ? '-' : '+');
  exp = std::abs(exp);
  if (exp < 10) out.push_back('0');
  out += std::to_string(exp);
  return out;
}

}  // namespace

std::string go_format_float(double value, char format, int precision) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (format == 'b' || format == 'x' || format == 'X') {
    auto bits = std::bit_cast<uint64_t>(value);
    bool neg = (bits >> 63) != 0;
    int exp = static_cast<int>((bits >> kMantBits) & 0x7FF);
    uint64_t mant = bits & ((uint64_t{1} << kMantBits) - 1);
    if (exp == 0) {
      ++exp;  // denormal
    } else {
      mant |= uint64_t{1} << kMantBits;
    }
    exp += kBias;
    return format == 'b' ? format_b(neg, mant, exp) : format_x(neg, mant, exp, precision, format);
  }
  bool neg = std::signbit(value);
  double abs_value = std::fabs(value);
  bool shortest = precision < 0;
  char lower = static_cast<char>(format == 'E' ? 'e' : format == 'G' ? 'g' : format);

  if (lower == 'f' && !shortest) {
    // Fixed precision is exactly what to_chars computes; only the sign of -0 needs care.
    char buf[1200];
    auto res = std::to_chars(buf, buf + sizeof buf, abs_value, std::chars_format::fixed, precision);
    return (neg ? "-" : "") + std::string(buf, res.ptr);
  }

  Digits digits;
  if (abs_value != 0) {
    if (shortest) {
      digits = shortest_digits(abs_value);
    } else if (lower == 'e') {
      digits = rounded_digits(abs_value, precision + 1);
    } else {
      digits = rounded_digits(abs_value, precision == 0 ? 1 : precision);
    }
  }
  int nd = static_cast<int>(digits.d.size());
  char exp_char = format == 'E' || format == 'G' ? 'E' : 'e';

  if (lower == 'e')
    return format_e(neg, digits, shortest ? std::max(nd - 1, 0) : precision, exp_char);
  if (lower == 'f') return format_f(neg, digits, std::max(nd - digits.dp, 0));

  // 'g': %e for large and small exponents, %f otherwise.
  int prec = shortest ? nd : (precision == 0 ? 1 : precision);
  int eprec = prec;
  if (eprec > nd && nd >= digits.dp) eprec = nd;
  if (shortest) eprec = 6;
  int exp = digits.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return format_e(neg, digits, prec - 1, exp_char);
  }
  if (prec > digits.dp) prec = nd;
  return format_f(neg, digits, std::max(prec - digits.dp, 0));
}

std::string go_json_float(double value) {
  double abs_value = std::fabs(value);
  char format = 'f';
  if (abs_value != 0 && (abs_value < 1e-6 || abs_value >= 1e21)) format = 'e';
  std::string out = go_format_float(value, format, -1);
  if (format == 'e') {
    size_t n = out.size();
    if (n >= 4 && out[n - 4] == 'e' && out[n - 3] == '-' && out[n - 2] == '0') out.erase(n - 2, 1);
  }
  return out;
}

}  // namespace berth::tmpl
