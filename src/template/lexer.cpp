#include "template/lexer.h"

#include <algorithm>
#include <cstdio>

#include "template/go_quote.h"
#include "template/unicode.h"
#include "template/utf8.h"

namespace berth::tmpl {
namespace {

constexpr char32_t kEofRune = 0xFFFFFFFF;
constexpr std::string_view kOpenDelim = "{{";
constexpr std::string_view kCloseDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr size_t kTrimMarkerLen = 2;  // "-" and the space beside it
constexpr std::string_view kSpaceChars = " \t\r\n";

struct Keyword {
  std::string_view word;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {".", TokenKind::kDot},
    {"block", TokenKind::kBlock},
    {"break", TokenKind::kBreak},
    {"continue", TokenKind::kContinue},
    {"define", TokenKind::kDefine},
    {"else", TokenKind::kElse},
    {"end", TokenKind::kEnd},
    {"if", TokenKind::kIf},
    {"range", TokenKind::kRange},
    {"nil", TokenKind::kNil},
    {"template", TokenKind::kTemplate},
    {"with", TokenKind::kWith},
};

bool is_lex_space(char32_t r) {
  return r == ' ' || r == '\t' || r == '\r' || r == '\n';
}
bool is_alnum(char32_t r) {
  return r == '_' || is_letter(r) || is_digit(r);
}

bool has_left_trim_marker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && is_lex_space(static_cast<unsigned char>(s[1]));
}

bool has_right_trim_marker(std::string_view s) {
  return s.size() >= 2 && is_lex_space(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

int count_newlines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// fmt's %#U: U+0041 'A'.
std::string describe_rune(char32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (is_print(r)) {
    out += " '";
    append_rune(out, r);
    out += "'";
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

  std::vector<Token> run() {
    State state = State::kText;
    while (state != State::kDone) {
      state = step(state);
      if (state == State::kEmitted) {
        TokenKind last = tokens_.back().kind;
        if (last == TokenKind::kEof || last == TokenKind::kError) break;
        state = inside_action_ ? State::kInsideAction : State::kText;
      }
    }
    return std::move(tokens_);
  }

 private:
  enum class State {
    kText,
    kLeftDelim,
    kComment,
    kRightDelim,
    kInsideAction,
    kSpace,
    kIdentifier,
    kField,
    kVariable,
    kChar,
    kNumber,
    kQuote,
    kRawQuote,
    kEmitted,
    kDone,
  };

  State step(State state) {
    switch (state) {
      case State::kText: return lex_text();
      case State::kLeftDelim: return lex_left_delim();
      case State::kComment: return lex_comment();
      case State::kRightDelim: return lex_right_delim();
      case State::kInsideAction: return lex_inside_action();
      case State::kSpace: return lex_space();
      case State::kIdentifier: return lex_identifier();
      case State::kField: return lex_field_or_variable(TokenKind::kField);
      case State::kVariable: return lex_variable();
      case State::kChar: return lex_char();
      case State::kNumber: return lex_number();
      case State::kQuote: return lex_quote();
      case State::kRawQuote: return lex_raw_quote();
      default: return State::kDone;
    }
  }

  std::string_view rest(size_t at) const {
    return at < input_.size() ? input_.substr(at) : std::string_view();
  }

  char32_t next() {
    if (pos_ >= input_.size()) {
      at_eof_ = true;
      return kEofRune;
    }
    DecodedRune d = decode_rune(input_.substr(pos_));
    pos_ += d.size;
    if (d.rune == '\n') ++line_;
    return d.rune;
  }

  void backup() {
    if (!at_eof_ && pos_ > 0) {
      DecodedRune d = decode_last_rune(input_.substr(0, pos_));
      pos_ -= d.size;
      if (d.rune == '\n') --line_;
    }
  }

  char32_t peek() {
    char32_t r = next();
    backup();
    return r;
  }

  bool accept(std::string_view valid) {
    char32_t r = next();
    if (r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) return true;
    backup();
    return false;
  }

  void accept_run(std::string_view valid) {
    while (accept(valid)) {
    }
  }

  Token this_item(TokenKind kind) {
    Token token{kind, start_, std::string(input_.substr(start_, pos_ - start_)), start_line_};
    start_ = pos_;
    start_line_ = line_;
    return token;
  }

  State emit_item(Token token) {
    tokens_.push_back(std::move(token));
    return State::kEmitted;
  }

  State emit(TokenKind kind) { return emit_item(this_item(kind)); }

  // Skips pending input that was not read with next(), counting its newlines.
  void ignore() {
    line_ += count_newlines(input_.substr(start_, pos_ - start_));
    start_ = pos_;
    start_line_ = line_;
  }

  State errorf(std::string message) {
    tokens_.push_back(Token{TokenKind::kError, start_, std::move(message), start_line_});
    return State::kEmitted;
  }

  // Whether a right delimiter, possibly with a trim marker, starts here.
  std::pair<bool, bool> at_right_delim() const {
    if (has_right_trim_marker(rest(pos_)) && rest(pos_ + kTrimMarkerLen).starts_with(kCloseDelim)) {
      return {true, true};
    }
    return {rest(pos_).starts_with(kCloseDelim), false};
  }

  bool at_terminator() {
    char32_t r = peek();
    if (is_lex_space(r)) return true;
    switch (r) {
      case kEofRune:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(': return true;
      default: return rest(pos_).starts_with(kCloseDelim);
    }
  }

  State lex_text() {
    size_t x = input_.find(kOpenDelim, pos_);
    if (x != std::string_view::npos) {
      if (x > pos_) {
        pos_ = x;
        size_t trim = 0;
        if (has_left_trim_marker(rest(pos_ + kOpenDelim.size()))) {
          std::string_view text = input_.substr(start_, pos_ - start_);
          size_t kept = text.find_last_not_of(kSpaceChars);
          trim = text.size() - (kept == std::string_view::npos ? 0 : kept + 1);
        }
        pos_ -= trim;
        line_ += count_newlines(input_.substr(start_, pos_ - start_));
        Token token = this_item(TokenKind::kText);
        pos_ += trim;
        ignore();
        if (!token.text.empty()) return emit_item(std::move(token));
      }
      return State::kLeftDelim;
    }
    pos_ = input_.size();
    if (pos_ > start_) {
      line_ += count_newlines(input_.substr(start_, pos_ - start_));
      return emit(TokenKind::kText);
    }
    return emit(TokenKind::kEof);
  }

  State lex_left_delim() {
    pos_ += kOpenDelim.size();
    bool trim = has_left_trim_marker(rest(pos_));
    size_t after_marker = trim ? kTrimMarkerLen : 0;
    if (rest(pos_ + after_marker).starts_with(kLeftComment)) {
      pos_ += after_marker;
      ignore();
      return State::kComment;
    }
    Token token = this_item(TokenKind::kLeftDelim);
    inside_action_ = true;
    pos_ += after_marker;
    ignore();
    paren_depth_ = 0;
    return emit_item(std::move(token));
  }

  State lex_comment() {
    pos_ += kLeftComment.size();
    size_t x = input_.find(kRightComment, pos_);
    if (x == std::string_view::npos) return errorf("unclosed comment");
    pos_ = x + kRightComment.size();
    auto [delim, trim] = at_right_delim();
    if (!delim) return errorf("comment ends before closing delimiter");
    line_ += count_newlines(input_.substr(start_, pos_ - start_));
    this_item(TokenKind::kText);  // comments are dropped; this only moves the start
    if (trim) pos_ += kTrimMarkerLen;
    pos_ += kCloseDelim.size();
    if (trim) pos_ += left_trim_length(rest(pos_));
    ignore();
    return State::kText;
  }

  static size_t left_trim_length(std::string_view s) {
    size_t n = s.find_first_not_of(kSpaceChars);
    return n == std::string_view::npos ? s.size() : n;
  }

  State lex_right_delim() {
    auto [delim, trim] = at_right_delim();
    (void)delim;
    if (trim) {
      pos_ += kTrimMarkerLen;
      ignore();
    }
    pos_ += kCloseDelim.size();
    Token token = this_item(TokenKind::kRightDelim);
    if (trim) {
      pos_ += left_trim_length(rest(pos_));
      ignore();
    }
    inside_action_ = false;
    return emit_item(std::move(token));
  }

  State lex_inside_action() {
    if (at_right_delim().first) {
      if (paren_depth_ == 0) return State::kRightDelim;
      return errorf("unclosed left paren");
    }
    char32_t r = next();
    if (r == kEofRune) return errorf("unclosed action");
    if (is_lex_space(r)) {
      backup();  // put the space back in case it starts " -}}"
      return State::kSpace;
    }
    switch (r) {
      case '=': return emit(TokenKind::kAssign);
      case ':':
        if (next() != '=') return errorf("expected :=");
        return emit(TokenKind::kDeclare);
      case '|': return emit(TokenKind::kPipe);
      case '"': return State::kQuote;
      case '`': return State::kRawQuote;
      case '$': return State::kVariable;
      case '\'': return State::kChar;
      case '(': ++paren_depth_; return emit(TokenKind::kLeftParen);
      case ')':
        if (--paren_depth_ < 0) return errorf("unexpected right paren");
        return emit(TokenKind::kRightParen);
      default: break;
    }
    if (r == '.') {
      // ".Field", unless a digit follows: then '.' starts a number.
      if (pos_ < input_.size() && (input_[pos_] < '0' || input_[pos_] > '9')) {
        return State::kField;
      }
    }
    if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup();
      return State::kNumber;
    }
    if (is_alnum(r)) {
      backup();
      return State::kIdentifier;
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7F) return emit(TokenKind::kChar);
    return errorf("unrecognized character in action: " + describe_rune(r));
  }

  State lex_space() {
    int spaces = 0;
    while (is_lex_space(peek())) {
      next();
      ++spaces;
    }
    // A trim-marked right delimiter starts with a space: leave that space to it.
    if (has_right_trim_marker(rest(pos_ - 1)) &&
        rest(pos_ - 1 + kTrimMarkerLen).starts_with(kCloseDelim)) {
      backup();
      if (spaces == 1) return State::kRightDelim;
    }
    return emit(TokenKind::kSpace);
  }

  State lex_identifier() {
    for (;;) {
      char32_t r = next();
      if (is_alnum(r)) continue;
      backup();
      std::string_view word = input_.substr(start_, pos_ - start_);
      if (!at_terminator()) return errorf("bad character " + describe_rune(r));
      for (const Keyword& keyword : kKeywords) {
        if (keyword.word == word) return emit(keyword.kind);
      }
      if (word[0] == '.') return emit(TokenKind::kField);
      if (word == "true" || word == "false") return emit(TokenKind::kBool);
      return emit(TokenKind::kIdentifier);
    }
  }

  State lex_variable() {
    if (at_terminator()) return emit(TokenKind::kVariable);  // just "$"
    return lex_field_or_variable(TokenKind::kVariable);
  }

  State lex_field_or_variable(TokenKind kind) {
    if (at_terminator()) return emit(kind == TokenKind::kVariable ? kind : TokenKind::kDot);
    char32_t r = 0;
    for (;;) {
      r = next();
      if (!is_alnum(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return errorf("bad character " + describe_rune(r));
    return emit(kind);
  }

  State lex_char() {
    for (;;) {
      char32_t r = next();
      if (r == '\\') {
        r = next();
        if (r != kEofRune && r != '\n') continue;
      }
      if (r == kEofRune || r == '\n') return errorf("unterminated character constant");
      if (r == '\'') break;
    }
    return emit(TokenKind::kCharConstant);
  }

  // Accepts more than Go's number syntax; the parser rejects what does not convert.
  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    if (is_alnum(peek())) {
      next();
      return false;
    }
    return true;
  }

  State lex_number() {
    if (!scan_number()) {
      return errorf("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
    }
    char32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || input_[pos_ - 1] != 'i') {
        return errorf("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
      }
      return emit(TokenKind::kComplex);
    }
    return emit(TokenKind::kNumber);
  }

  State lex_quote() {
    for (;;) {
      char32_t r = next();
      if (r == '\\') {
        r = next();
        if (r != kEofRune && r != '\n') continue;
      }
      if (r == kEofRune || r == '\n') return errorf("unterminated quoted string");
      if (r == '"') break;
    }
    return emit(TokenKind::kString);
  }

  State lex_raw_quote() {
    for (;;) {
      char32_t r = next();
      if (r == kEofRune) return errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    return emit(TokenKind::kRawString);
  }

  std::string_view input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  bool at_eof_ = false;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  bool inside_action_ = false;
  std::vector<Token> tokens_;
};

}  // namespace

std::string describe_token(const Token& token) {
  if (token.kind == TokenKind::kEof) return "EOF";
  if (token.kind == TokenKind::kError) return token.text;
  if (token.kind > TokenKind::kKeyword) return "<" + token.text + ">";
  if (rune_count(token.text) > 10) {
    std::string_view s = token.text;
    size_t end = 0;
    for (int i = 0; i < 10; ++i) end += decode_rune(s.substr(end)).size;
    return go_quote(s.substr(0, end)) + "...";
  }
  return go_quote(token.text);
}

std::vector<Token> lex(std::string_view text) {
  return Lexer(text).run();
}

}  // namespace berth::tmpl
