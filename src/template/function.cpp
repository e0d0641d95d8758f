#include "template/function.h"

namespace berth::tmpl {

std::string_view param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kValue: return "reflect.Value";
    case ParamType::kAny: return "interface {}";
    case ParamType::kString: return "string";
    case ParamType::kInt: return "int";
    case ParamType::kStringList: return "[]string";
  }
  return "";
}

Error function_error(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace berth::tmpl
