// Go's string literal rules (strconv.Quote, Unquote, UnquoteChar): the template lexer reads
// literals with them, and printf's %q writes them.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::tmpl {

// strconv.Quote, or strconv.QuoteToASCII when `ascii_only`.
std::string go_quote(std::string_view s, bool ascii_only = false);
// strconv.QuoteRune / QuoteRuneToASCII: 'x'.
std::string go_quote_rune(char32_t r, bool ascii_only = false);
// strconv.CanBackquote: `s` can be written as a raw `...` literal unchanged.
bool can_backquote(std::string_view s);

// strconv.Unquote for "..." and `...` literals. The error message is Go's: "invalid syntax".
Result<std::string> go_unquote(std::string_view literal);
// A character constant such as 'a' or '\n' (as the template parser reads one).
Result<char32_t> go_unquote_char_constant(std::string_view literal);

}  // namespace berth::tmpl
