// text/template's html, js and urlquery escapers, applied to text already formatted from the
// arguments (see builtins.cpp).
#pragma once

#include <string>
#include <string_view>

namespace berth::tmpl {

// template.HTMLEscapeString: ' " & < > and NUL.
std::string html_escape(std::string_view s);
// template.JSEscapeString: quotes, backslash, < > & =, controls and non-printable runes.
std::string js_escape(std::string_view s);
// url.QueryEscape: everything but A-Z a-z 0-9 - _ . ~ is %XX-escaped, space becomes '+'.
std::string url_query_escape(std::string_view s);

}  // namespace berth::tmpl
