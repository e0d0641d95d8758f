#include "template/go_quote.h"

#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

Error syntax_error() {
  return Error(ErrorCode::kInvalidArgument, "invalid syntax");
}

void append_hex(std::string& out, uint32_t v, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
    out.push_back(kLowerHex[(v >> shift) & 0xF]);
}

void append_escaped_rune(std::string& out, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out.push_back('\\');
    append_rune(out, r);
    return;
  }
  if (ascii_only ? (r < 0x80 && is_print(r)) : is_print(r)) {
    append_rune(out, r);
    return;
  }
  switch (r) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    append_hex(out, r, 2);
    return;
  }
  if (!valid_rune(r)) r = kRuneError;
  if (r < 0x10000) {
    out += "\\u";
    append_hex(out, r, 4);
  } else {
    out += "\\U";
    append_hex(out, r, 8);
  }
}

struct UnquotedChar {
  char32_t value;
  bool multibyte;  // value must be written as UTF-8 (not as a single byte)
  std::string_view tail;
};

// strconv.UnquoteChar.
Result<UnquotedChar> unquote_char(std::string_view s, char quote) {
  if (s.empty()) return syntax_error();
  auto c = static_cast<unsigned char>(s[0]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"'))
    return syntax_error();
  if (c >= 0x80) {
    DecodedRune d = decode_rune(s);
    return UnquotedChar{d.rune, true, s.substr(d.size)};
  }
  if (c != '\\') return UnquotedChar{c, false, s.substr(1)};
  if (s.size() <= 1) return syntax_error();
  char e = s[1];
  s.remove_prefix(2);
  char32_t value = 0;
  bool multibyte = false;
  switch (e) {
    case 'a': value = '\a'; break;
    case 'b': value = '\b'; break;
    case 'f': value = '\f'; break;
    case 'n': value = '\n'; break;
    case 'r': value = '\r'; break;
    case 't': value = '\t'; break;
    case 'v': value = '\v'; break;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < n) return syntax_error();
      for (size_t j = 0; j < n; ++j) {
        char h = s[j];
        uint32_t x = 0;
        if (h >= '0' && h <= '9') {
          x = static_cast<uint32_t>(h - '0');
        } else if (h >= 'a' && h <= 'f') {
          x = static_cast<uint32_t>(h - 'a' + 10);
        } else if (h >= 'A' && h <= 'F') {
          x = static_cast<uint32_t>(h - 'A' + 10);
        } else {
          return syntax_error();
        }
        value = (value << 4) | x;
      }
      s.remove_prefix(n);
      if (e != 'x') {
        if (!valid_rune(value)) return syntax_error();
        multibyte = true;
      }
      break;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      value = static_cast<char32_t>(e - '0');
      if (s.size() < 2) return syntax_error();
      for (size_t j = 0; j < 2; ++j) {
        if (s[j] < '0' || s[j] > '7') return syntax_error();
        value = (value << 3) | static_cast<char32_t>(s[j] - '0');
      }
      s.remove_prefix(2);
      if (value > 255) return syntax_error();
      break;
    }
    case '\\': value = '\\'; break;
    case '\'':
    case '"':
      if (e != quote) return syntax_error();
      value = static_cast<unsigned char>(e);
      break;
    default: return syntax_error();
  }
  return UnquotedChar{value, multibyte, s};
}

}  // namespace

std::string go_quote(std::string_view s, bool ascii_only) {
  std::string out = "\"";
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    if (d.rune == kRuneError && d.size == 1) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(s[0]), 2);
    } else {
      append_escaped_rune(out, d.rune, '"', ascii_only);
    }
    s.remove_prefix(d.size);
  }
  out.push_back('"');
  return out;
}

std::string go_quote_rune(char32_t r, bool ascii_only) {
  if (!valid_rune(r)) r = kRuneError;
  std::string out = "'";
  append_escaped_rune(out, r, '\'', ascii_only);
  out.push_back('\'');
  return out;
}

bool can_backquote(std::string_view s) {
  while (!s.empty()) {
    DecodedRune d = decode_rune(s);
    s.remove_prefix(d.size);
    if (d.size > 1) {
      if (d.rune == 0xFEFF) return false;
      continue;
    }
    if (d.rune == kRuneError) return false;
    if ((d.rune < ' ' && d.rune != '\t') || d.rune == '`' || d.rune == 0x7F) return false;
  }
  return true;
}

Result<std::string> go_unquote(std::string_view literal) {
  if (literal.size() < 2) return syntax_error();
  char quote = literal.front();
  if (quote != literal.back()) return syntax_error();
  std::string_view body = literal.substr(1, literal.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return syntax_error();
    std::string out;
    for (char c : body) {
      if (c != '\r') out.push_back(c);  // Go drops carriage returns from raw strings
    }
    return out;
  }
  if (quote != '"' && quote != '\'') return syntax_error();
  if (body.find('\n') != std::string_view::npos) return syntax_error();
  std::string out;
  while (!body.empty()) {
    UnquotedChar c = TRY(unquote_char(body, quote));
    if (c.value < 0x80 || !c.multibyte) {
      out.push_back(static_cast<char>(c.value));
    } else {
      append_rune(out, c.value);
    }
    body = c.tail;
    if (quote == '\'' && !body.empty()) return syntax_error();
  }
  return out;
}

Result<char32_t> go_unquote_char_constant(std::string_view literal) {
  if (literal.size() < 2) return syntax_error();
  UnquotedChar c = TRY(unquote_char(literal.substr(1), literal[0]));
  if (c.tail != "'") {
    return Error(ErrorCode::kInvalidArgument,
                 "malformed character constant: " + std::string(literal));
  }
  return c.value;
}

}  // namespace berth::tmpl
