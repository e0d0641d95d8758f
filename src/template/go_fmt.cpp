#include "template/go_fmt.h"

#include <cstdint>

#include "template/go_float.h"
#include "template/go_quote.h"
#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

constexpr std::string_view kLowerDigits = "0123456789abcdefx";
constexpr std::string_view kUpperDigits = "0123456789ABCDEFX";
constexpr int kMaxWidth = 1000000;  // fmt's tooLarge bound for widths and precisions

struct Flags {
  bool wid_present = false;
  bool prec_present = false;
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  // %+v and %#v: set instead of plus/sharp, which they clear.
  bool plus_v = false;
  bool sharp_v = false;
  int wid = 0;
  int prec = 0;
};

// One formatting run, as fmt's pp and fmt types are: the output buffer and the flags of the
// verb being printed.
class Printer {
 public:
  std::string take() { return std::move(buf_); }

  void do_print(const std::vector<Value>& args);
  void do_println(const std::vector<Value>& args);
  void do_printf(std::string_view format, const std::vector<Value>& args);
  void print_arg(const Value& arg, char32_t verb);

 private:
  void print_value(const Value& value, char32_t verb, int depth);
  void bad_verb(char32_t verb, const Value* value);
  void fmt_bool(const Value& value, char32_t verb);
  void fmt_integer(const Value& value, uint64_t u, bool is_signed, char32_t verb);
  void fmt_float(const Value& value, char32_t verb);
  void fmt_string(const Value& value, const std::string& s, char32_t verb);

  // format.go's primitives.
  void write_padding(int n);
  void pad(std::string_view s);
  void fmt_int(uint64_t u, int base, bool is_signed, char32_t verb, std::string_view digits);
  void fmt_unicode(uint64_t u);
  void fmt_c(uint64_t c);
  void fmt_qc(uint64_t c);
  std::string_view truncate(std::string_view s) const;
  void fmt_s(std::string_view s);
  void fmt_sx(std::string_view s, std::string_view digits);
  void fmt_q(std::string_view s);
  void fmt_float_as(double v, char verb, int prec);

  std::string buf_;
  Flags f_;
};

// fmt's parsenum: a decimal run starting at `i`; `ok` is false when there is none or it is
// absurdly large.
int parse_num(std::string_view s, size_t& i, size_t end, bool& ok) {
  ok = false;
  int num = 0;
  while (i < end && s[i] >= '0' && s[i] <= '9') {
    if (num > kMaxWidth) {
      ok = false;
      i = end;
      return 0;
    }
    num = num * 10 + (s[i] - '0');
    ok = true;
    ++i;
  }
  return num;
}

void Printer::write_padding(int n) {
  if (n <= 0) return;
  buf_.append(static_cast<size_t>(n), f_.zero && !f_.minus ? '0' : ' ');
}

void Printer::pad(std::string_view s) {
  if (!f_.wid_present || f_.wid == 0) {
    buf_ += s;
    return;
  }
  int width = f_.wid - static_cast<int>(rune_count(s));
  if (!f_.minus) {
    write_padding(width);
    buf_ += s;
  } else {
    buf_ += s;
    write_padding(width);
  }
}

void Printer::fmt_int(uint64_t u, int base, bool is_signed, char32_t verb,
                      std::string_view digits) {
  bool negative = is_signed && static_cast<int64_t>(u) < 0;
  if (negative) u = ~u + 1;
  int prec = 0;
  if (f_.prec_present) {
    prec = f_.prec;
    if (prec == 0 && u == 0) {  // precision 0 and value 0 print nothing but padding
      bool old_zero = f_.zero;
      f_.zero = false;
      write_padding(f_.wid);
      f_.zero = old_zero;
      return;
    }
  } else if (f_.zero && !f_.minus && f_.wid_present) {
    prec = f_.wid;
    if (negative || f_.plus || f_.space) --prec;  // leave room for the sign
  }
  std::string out;  // built right to left
  auto ubase = static_cast<uint64_t>(base);
  while (u >= ubase) {
    out.push_back(digits[u % ubase]);
    u /= ubase;
  }
  out.push_back(digits[u]);
  while (static_cast<int>(out.size()) < prec) out.push_back('0');
  if (f_.sharp) {
    if (base == 2) {
      out += "b0";
    } else if (base == 8) {
      if (out.back() != '0') out.push_back('0');
    } else if (base == 16) {
      out.push_back(digits[16]);
      out.push_back('0');
    }
  }
  if (verb == 'O') out += "o0";
  if (negative) {
    out.push_back('-');
  } else if (f_.plus) {
    out.push_back('+');
  } else if (f_.space) {
    out.push_back(' ');
  }
  std::string forward(out.rbegin(), out.rend());
  bool old_zero = f_.zero;
  f_.zero = false;  // zero padding was done above, as precision
  pad(forward);
  f_.zero = old_zero;
}

void Printer::fmt_unicode(uint64_t u) {
  int prec = 4;
  if (f_.prec_present && f_.prec > 4) prec = f_.prec;
  std::string hex;
  for (uint64_t v = u;; v >>= 4) {
    hex.insert(hex.begin(), kUpperDigits[v & 0xF]);
    if (v < 16) break;
  }
  while (static_cast<int>(hex.size()) < prec) hex.insert(hex.begin(), '0');
  std::string out = "U+" + hex;
  if (f_.sharp && u <= kMaxRune && is_print(static_cast<char32_t>(u))) {
    out += " '";
    append_rune(out, static_cast<char32_t>(u));
    out += "'";
  }
  bool old_zero = f_.zero;
  f_.zero = false;
  pad(out);
  f_.zero = old_zero;
}

void Printer::fmt_c(uint64_t c) {
  std::string out;
  append_rune(out, c > kMaxRune ? kRuneError : static_cast<char32_t>(c));
  pad(out);
}

void Printer::fmt_qc(uint64_t c) {
  pad(go_quote_rune(c > kMaxRune ? kRuneError : static_cast<char32_t>(c), f_.plus));
}

std::string_view Printer::truncate(std::string_view s) const {
  if (!f_.prec_present) return s;
  int n = f_.prec;
  size_t i = 0;
  while (i < s.size()) {
    if (--n < 0) return s.substr(0, i);
    i += decode_rune(s.substr(i)).size;
  }
  return s;
}

void Printer::fmt_s(std::string_view s) {
  pad(truncate(s));
}

void Printer::fmt_sx(std::string_view s, std::string_view digits) {
  size_t length = s.size();
  if (f_.prec_present && f_.prec >= 0 && static_cast<size_t>(f_.prec) < length) {
    length = static_cast<size_t>(f_.prec);
  }
  int width = 2 * static_cast<int>(length);
  if (width > 0) {
    if (f_.space) {
      if (f_.sharp) width *= 2;
      width += static_cast<int>(length) - 1;
    } else if (f_.sharp) {
      width += 2;
    }
  } else {
    if (f_.wid_present) write_padding(f_.wid);
    return;
  }
  if (f_.wid_present && f_.wid > width && !f_.minus) write_padding(f_.wid - width);
  if (f_.sharp) {
    buf_.push_back('0');
    buf_.push_back(digits[16]);
  }
  for (size_t i = 0; i < length; ++i) {
    if (f_.space && i > 0) {
      buf_.push_back(' ');
      if (f_.sharp) {
        buf_.push_back('0');
        buf_.push_back(digits[16]);
      }
    }
    auto c = static_cast<unsigned char>(s[i]);
    buf_.push_back(digits[c >> 4]);
    buf_.push_back(digits[c & 0xF]);
  }
  if (f_.wid_present && f_.wid > width && f_.minus) write_padding(f_.wid - width);
}

void Printer::fmt_q(std::string_view s) {
  s = truncate(s);
  if (f_.sharp && can_backquote(s)) {
    pad("`" + std::string(s) + "`");
    return;
  }
  pad(go_quote(s, f_.plus));
}

void Printer::fmt_float_as(double v, char verb, int prec) {
  if (f_.prec_present) prec = f_.prec;
  std::string num = go_format_float(v, verb, prec);
  if (num[0] != '-' && num[0] != '+') num.insert(num.begin(), '+');
  if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
  if (num[1] == 'I' || num[1] == 'N') {  // infinities and NaN are never zero padded
    bool old_zero = f_.zero;
    f_.zero = false;
    if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
    pad(num);
    f_.zero = old_zero;
    return;
  }
  if (f_.sharp && verb != 'b') {  // %#g etc. keep a decimal point and trailing zeros
    int digits = 0;
    if (verb == 'g' || verb == 'G' || verb == 'x') digits = prec == -1 ? 6 : prec;
    std::string tail;
    bool has_point = false;
    bool saw_nonzero = false;
    for (size_t i = 1; i < num.size(); ++i) {
      char c = num[i];
      if (c == '.') {
        has_point = true;
      } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
        tail = num.substr(i);
        num.resize(i);
        break;
      } else {
        if (c != '0') saw_nonzero = true;
        if (saw_nonzero) --digits;
      }
    }
    if (!has_point) {
      if (num.size() == 2 && num[1] == '0') --digits;
      num.push_back('.');
    }
    while (digits-- > 0) num.push_back('0');
    num += tail;
  }
  if (f_.plus || num[0] != '+') {
    if (f_.zero && !f_.minus && f_.wid_present && f_.wid > static_cast<int>(num.size())) {
      buf_.push_back(num[0]);
      write_padding(f_.wid - static_cast<int>(num.size()));
      buf_.append(num, 1);
      return;
    }
    pad(num);
    return;
  }
  pad(std::string_view(num).substr(1));
}

void Printer::bad_verb(char32_t verb, const Value* value) {
  buf_ += "%!";
  append_rune(buf_, verb);
  buf_.push_back('(');
  if (value != nullptr && !value->is_nil()) {
    buf_ += value->type_name();
    buf_.push_back('=');
    print_value(*value, 'v', 0);
  } else {
    buf_ += "<nil>";
  }
  buf_.push_back(')');
}

void Printer::fmt_bool(const Value& value, char32_t verb) {
  if (verb == 't' || verb == 'v') {
    pad(value.as_bool() ? "true" : "false");
  } else {
    bad_verb(verb, &value);
  }
}

void Printer::fmt_integer(const Value& value, uint64_t u, bool is_signed, char32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v && !is_signed) {
        bool sharp = f_.sharp;
        f_.sharp = true;
        fmt_int(u, 16, false, 'v', kLowerDigits);
        f_.sharp = sharp;
      } else {
        fmt_int(u, 10, is_signed, verb, kLowerDigits);
      }
      break;
    case 'd': fmt_int(u, 10, is_signed, verb, kLowerDigits); break;
    case 'b': fmt_int(u, 2, is_signed, verb, kLowerDigits); break;
    case 'o':
    case 'O': fmt_int(u, 8, is_signed, verb, kLowerDigits); break;
    case 'x': fmt_int(u, 16, is_signed, verb, kLowerDigits); break;
    case 'X': fmt_int(u, 16, is_signed, verb, kUpperDigits); break;
    case 'c': fmt_c(u); break;
    case 'q': fmt_qc(u); break;
    case 'U': fmt_unicode(u); break;
    default: bad_verb(verb, &value);
  }
}

void Printer::fmt_float(const Value& value, char32_t verb) {
  double v = value.as_float();
  switch (verb) {
    case 'v': fmt_float_as(v, 'g', -1); break;
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X': fmt_float_as(v, static_cast<char>(verb), -1); break;
    case 'f':
    case 'e':
    case 'E': fmt_float_as(v, static_cast<char>(verb), 6); break;
    case 'F': fmt_float_as(v, 'f', 6); break;
    default: bad_verb(verb, &value);
  }
}

void Printer::fmt_string(const Value& value, const std::string& s, char32_t verb) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v) {
        fmt_q(s);
      } else {
        fmt_s(s);
      }
      break;
    case 's': fmt_s(s); break;
    case 'x': fmt_sx(s, kLowerDigits); break;
    case 'X': fmt_sx(s, kUpperDigits); break;
    case 'q': fmt_q(s); break;
    default: bad_verb(verb, &value);
  }
}

void Printer::print_value(const Value& value, char32_t verb, int depth) {
  switch (value.kind()) {
    case Value::Kind::kMissing:
    case Value::Kind::kNull:
      // A nil element of a []interface{} or map[string]interface{}.
      buf_ += f_.sharp_v ? "interface {}(nil)" : "<nil>";
      break;
    case Value::Kind::kBool: fmt_bool(value, verb); break;
    case Value::Kind::kInt:
      fmt_integer(value, static_cast<uint64_t>(value.as_int()), true, verb);
      break;
    case Value::Kind::kUint: fmt_integer(value, value.as_uint(), false, verb); break;
    case Value::Kind::kFloat: fmt_float(value, verb); break;
    case Value::Kind::kString: fmt_string(value, value.as_string(), verb); break;
    case Value::Kind::kObject: {
      buf_ += f_.sharp_v ? "map[string]interface {}{" : "map[";
      bool first = true;
      for (const auto& [key, element] : value.json().items()) {
        if (!first) buf_ += f_.sharp_v ? ", " : " ";
        first = false;
        print_value(Value::of(key), verb, depth + 1);
        buf_.push_back(':');
        print_value(value.element(element), verb, depth + 1);
      }
      buf_.push_back(f_.sharp_v ? '}' : ']');
      break;
    }
    case Value::Kind::kArray: {
      buf_ += f_.sharp_v ? "[]interface {}{" : "[";
      bool first = true;
      for (const Json& element : value.json()) {
        if (!first) buf_ += f_.sharp_v ? ", " : " ";
        first = false;
        print_value(value.element(element), verb, depth + 1);
      }
      buf_.push_back(f_.sharp_v ? '}' : ']');
      break;
    }
  }
}

void Printer::print_arg(const Value& arg, char32_t verb) {
  if (arg.is_nil()) {
    if (verb == 'T' || verb == 'v') {
      pad("<nil>");
    } else {
      bad_verb(verb, nullptr);
    }
    return;
  }
  if (verb == 'T') {
    fmt_s(arg.type_name());
    return;
  }
  if (verb == 'p') {  // Go prints the address of maps and slices; JSON values have none
    bad_verb(verb, &arg);
    return;
  }
  print_value(arg, verb, 0);
}

void Printer::do_print(const std::vector<Value>& args) {
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Value::Kind::kString;
    if (i > 0 && !is_string && !prev_string) buf_.push_back(' ');  // between non-strings
    print_arg(args[i], 'v');
    prev_string = is_string;
  }
}

void Printer::do_println(const std::vector<Value>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) buf_.push_back(' ');
    print_arg(args[i], 'v');
  }
  buf_.push_back('\n');
}

// fmt's intFromArg: a width or precision taken from the argument list by '*'.
bool int_from_arg(const std::vector<Value>& args, size_t& arg_num, int& num) {
  num = 0;
  if (arg_num >= args.size()) return false;
  const Value& arg = args[arg_num++];
  bool is_int = false;
  if (arg.kind() == Value::Kind::kInt) {
    int64_t n = arg.as_int();
    if (n >= -kMaxWidth && n <= kMaxWidth) num = static_cast<int>(n), is_int = true;
  } else if (arg.kind() == Value::Kind::kUint) {
    uint64_t n = arg.as_uint();
    if (n <= kMaxWidth) num = static_cast<int>(n), is_int = true;
  }
  return is_int;
}

void Printer::do_printf(std::string_view format, const std::vector<Value>& args) {
  size_t end = format.size();
  size_t arg_num = 0;
  bool after_index = false;  // the previous item was an explicit index like [3]
  bool reordered = false;
  bool good_arg_num = true;

  // fmt's argNumber: an explicit one-based argument index "[n]" at format[i].
  auto arg_number = [&](size_t i, bool& found) {
    found = false;
    if (i >= end || format[i] != '[') return i;
    reordered = true;
    size_t close = format.find(']', i + 1);
    if (format.size() - i < 3 || close == std::string_view::npos) {
      good_arg_num = false;
      return i + 1;
    }
    size_t j = i + 1;
    bool ok = false;
    int index = parse_num(format, j, close, ok) - 1;
    if (!ok || j != close) {
      good_arg_num = false;
      return close + 1;
    }
    if (index >= 0 && static_cast<size_t>(index) < args.size()) {
      arg_num = static_cast<size_t>(index);
      found = true;
      return close + 1;
    }
    good_arg_num = false;
    found = true;
    return close + 1;
  };

  for (size_t i = 0; i < end;) {
    good_arg_num = true;
    size_t last = i;
    while (i < end && format[i] != '%') ++i;
    if (i > last) buf_.append(format.substr(last, i - last));
    if (i >= end) break;
    ++i;  // past '%'

    f_ = Flags{};
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        f_.sharp = true;
      } else if (c == '0') {
        f_.zero = true;
      } else if (c == '+') {
        f_.plus = true;
      } else if (c == '-') {
        f_.minus = true;
      } else if (c == ' ') {
        f_.space = true;
      } else {
        break;
      }
    }

    i = arg_number(i, after_index);

    if (i < end && format[i] == '*') {
      ++i;
      f_.wid_present = int_from_arg(args, arg_num, f_.wid);
      if (!f_.wid_present) buf_ += "%!(BADWIDTH)";
      if (f_.wid < 0) {
        f_.wid = -f_.wid;
        f_.minus = true;
        f_.zero = false;
      }
      after_index = false;
    } else {
      f_.wid = parse_num(format, i, end, f_.wid_present);
      if (after_index && f_.wid_present) good_arg_num = false;  // "%[3]2d"
    }

    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num = false;  // "%[3].2d"
      i = arg_number(i, after_index);
      if (i < end && format[i] == '*') {
        ++i;
        f_.prec_present = int_from_arg(args, arg_num, f_.prec);
        if (f_.prec < 0) {
          f_.prec = 0;
          f_.prec_present = false;
        }
        if (!f_.prec_present) buf_ += "%!(BADPREC)";
        after_index = false;
      } else {
        f_.prec = parse_num(format, i, end, f_.prec_present);
        if (!f_.prec_present) {
          f_.prec = 0;
          f_.prec_present = true;
        }
      }
    }

    if (!after_index) i = arg_number(i, after_index);

    if (i >= end) {
      buf_ += "%!(NOVERB)";
      break;
    }

    DecodedRune verb = decode_rune(format.substr(i));
    i += verb.size;

    if (verb.rune == '%') {
      buf_.push_back('%');  // takes no operand and ignores width and precision
    } else if (!good_arg_num) {
      buf_ += "%!";
      append_rune(buf_, verb.rune);
      buf_ += "(BADINDEX)";
    } else if (arg_num >= args.size()) {
      buf_ += "%!";
      append_rune(buf_, verb.rune);
      buf_ += "(MISSING)";
    } else {
      if (verb.rune == 'v') {
        f_.sharp_v = f_.sharp;
        f_.sharp = false;
        f_.plus_v = f_.plus;
        f_.plus = false;
      }
      print_arg(args[arg_num], verb.rune);
      ++arg_num;
    }
  }

  if (!reordered && arg_num < args.size()) {
    f_ = Flags{};
    buf_ += "%!(EXTRA ";
    for (size_t i = arg_num; i < args.size(); ++i) {
      if (i > arg_num) buf_ += ", ";
      if (args[i].is_nil()) {
        buf_ += "<nil>";
      } else {
        buf_ += args[i].type_name();
        buf_.push_back('=');
        print_arg(args[i], 'v');
      }
    }
    buf_.push_back(')');
  }
}

}  // namespace

std::string format_value(const Value& value) {
  if (value.is_missing()) return "<no value>";
  Printer p;
  p.print_arg(value, 'v');
  return p.take();
}

std::string go_sprint(const std::vector<Value>& args) {
  Printer p;
  p.do_print(args);
  return p.take();
}

std::string go_sprintln(const std::vector<Value>& args) {
  Printer p;
  p.do_println(args);
  return p.take();
}

std::string go_sprintf(std::string_view format, const std::vector<Value>& args) {
  Printer p;
  p.do_printf(format, args);
  return p.take();
}

}  // namespace berth::tmpl
