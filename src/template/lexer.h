// The template lexer: splits text into tokens as text/template/parse's lexer does, including
// trim markers ("{{- " and " -}}"), comments, and Go's literal syntax. Errors are tokens too,
// so the parser reports them where it reaches them, with Go's messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace berth::tmpl {

enum class TokenKind {
  kError,         // the text is the error message; always the last token
  kBool,          // true, false
  kChar,          // a printable ASCII character inside an action (',' and the like)
  kCharConstant,  // 'x'
  kComplex,       // 1+2i
  kAssign,        // =
  kDeclare,       // :=
  kEof,
  kField,       // .Name
  kIdentifier,  // a function name
  kLeftDelim,   // {{
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,   // `raw`, quotes included
  kRightDelim,  // }}
  kRightParen,
  kSpace,
  kString,  // "quoted", quotes included
  kText,
  kVariable,  // $, $x
  // Keywords follow kKeyword.
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Token {
  TokenKind kind;
  size_t pos;  // byte offset in the template text
  std::string text;
  int line;  // 1-based line the token starts on
};

// How Go's parser names a token in "unexpected ..." messages: "<if>", "\"}}\"", "EOF"...
std::string describe_token(const Token& token);

// Lexes the whole text. The last token is kEof or kError.
std::vector<Token> lex(std::string_view text);

}  // namespace berth::tmpl
