// Executes a parse tree over a JSON value as text/template's exec.go does: pipelines, fields,
// variables, control structures, function calls with Go's argument checking, and Go's execution
// error messages ("template: :1:2: executing "" at <.Foo>: ...").
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "template/ast.h"
#include "template/function.h"

namespace berth::tmpl {

// `text` and `name` are the template's source and name, for error locations.
Result<std::string> execute_tree(const ListNode& root, std::string_view text, std::string_view name,
                                 const FunctionMap& functions, const Json& data);

}  // namespace berth::tmpl
