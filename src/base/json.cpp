#include "base/json.h"

namespace berth {

Result<Json> parse_json(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    return make_error(ErrorCode::kInvalidArgument, "{}: invalid JSON: {}", what, e.what());
  }
}

}  // namespace berth
