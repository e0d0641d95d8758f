// The template parser: text/template/parse's recursive descent over lexer tokens, with its
// checks (functions must exist, variables must be declared, {{break}} only inside {{range}})
// and its messages: "template: NAME:LINE: unexpected "}" in operand".
#pragma once

#include <memory>
#include <string_view>

#include "base/result.h"
#include "template/ast.h"
#include "template/function.h"

namespace berth::tmpl {

// Parses `text`. `name` appears in messages (docker's templates have the empty name).
// {{define}}, {{template}} and {{block}} are not supported and fail to parse.
Result<std::unique_ptr<ListNode>> parse_template(std::string_view text, std::string_view name,
                                                 const FunctionMap& functions);

}  // namespace berth::tmpl
