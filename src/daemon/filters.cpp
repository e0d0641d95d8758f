#include "daemon/filters.h"

#include <algorithm>

#include "base/json.h"

namespace berth::daemon {

const std::vector<std::string>& ListFilters::get(const std::string& key) const {
  static const std::vector<std::string> kEmpty;
  auto it = values.find(key);
  return it == values.end() ? kEmpty : it->second;
}

Result<ListFilters> parse_filters(const std::string& text, const std::vector<std::string>& allowed) {
  ListFilters out;
  if (text.empty()) return out;
  Json j = TRY(parse_json(text, "filters"));
  if (!j.is_object()) return Error(ErrorCode::kInvalidArgument, "invalid filter: expected an object");
  for (auto& [key, value] : j.items()) {
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return make_error(ErrorCode::kInvalidArgument, "invalid filter '{}'", key);
    auto& list = out.values[key];
    if (value.is_object()) {
      for (auto& [v, enabled] : value.items()) {
        if (!enabled.is_boolean() || enabled.get<bool>()) list.push_back(v);
      }
    } else if (value.is_array()) {
      for (const auto& v : value) {
        if (v.is_string()) list.push_back(v.get<std::string>());
      }
    } else {
      return make_error(ErrorCode::kInvalidArgument, "invalid filter '{}'", key);
    }
  }
  return out;
}

}  // namespace berth::daemon
