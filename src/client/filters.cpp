#include "client/filters.h"

#include "base/json.h"
#include "base/strings.h"

namespace berth::client {

void Filters::add(std::string_view name, std::string_view value) {
  fields_[std::string(name)].insert(std::string(value));
}

std::vector<std::string> Filters::get(std::string_view name) const {
  auto it = fields_.find(std::string(name));
  if (it == fields_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::string Filters::to_json() const {
  if (fields_.empty()) return "";
  Json out = Json::object();
  for (const auto& [name, values] : fields_) {
    Json set = Json::object();
    for (const auto& v : values) set[v] = true;
    out[name] = std::move(set);
  }
  return out.dump();
}

Status Filters::parse_flag(std::string_view text) {
  if (text.empty()) return ok_status();
  bool found = false;
  auto [name, value] = split_once(text, '=', &found);
  if (!found) return Error(ErrorCode::kInvalidArgument, "bad format of filter (expected name=value)");
  add(to_lower(trim(name)), trim(value));
  return ok_status();
}

}  // namespace berth::client
