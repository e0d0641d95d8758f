// encoding/json's output for template values: compact, object keys sorted (Go sorts map keys),
// numbers as Go writes them, and Go's string escaping (\u2028 and \u2029 always escaped,
// invalid UTF-8 as \ufffd).
#pragma once

#include <string>

#include "template/value.h"

namespace berth::tmpl {

// json.Marshal when `escape_html` (<, > and & become \u003c, \u003e, \u0026); an Encoder
// with SetEscapeHTML(false) otherwise, which is what docker's {{json}} uses. A missing value
// encodes as null.
std::string go_json_marshal(const Value& value, bool escape_html);

}  // namespace berth::tmpl
