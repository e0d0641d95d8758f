// Go's fmt package over template values: what an action prints ({{.X}} is fmt.Print's %v) and
// what print, println and printf return. Verbs, flags, widths, precisions, argument indexes and
// the %!verb(type=value) error notation follow fmt; values are typed as value.h describes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "template/value.h"

namespace berth::tmpl {

// How an action prints its final value: fmt.Print of one operand; a missing value prints as
// "<no value>", null as "<nil>".
std::string format_value(const Value& value);

// fmt.Sprint, fmt.Sprintln, fmt.Sprintf. Missing arguments count as nil (Go passes an invalid
// value to a ...interface{} parameter as nil).
std::string go_sprint(const std::vector<Value>& args);
std::string go_sprintln(const std::vector<Value>& args);
std::string go_sprintf(std::string_view format, const std::vector<Value>& args);

}  // namespace berth::tmpl
