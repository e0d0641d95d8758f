#include "image/filters.h"

#include <fnmatch.h>

#include <cmath>

#include "base/json.h"
#include "base/strings.h"
#include "base/time_format.h"
#include "image/go_duration.h"

namespace berth::image {

Result<Filters> parse_filters(std::string_view text) {
  Filters out;
  if (trim(text).empty()) return out;
  auto j = TRY(parse_json(text, "filters"));
  if (!j.is_object())
    return Error(ErrorCode::kInvalidArgument, "invalid filter: expected an object");
  for (const auto& [key, value] : j.items()) {
    auto& values = out[key];
    if (value.is_array()) {
      for (const auto& v : value) {
        if (!v.is_string())
          return make_error(ErrorCode::kInvalidArgument, "invalid filter '{}'", key);
        values.push_back(v.get<std::string>());
      }
    } else if (value.is_object()) {
      for (const auto& [v, on] : value.items()) {
        if (on.is_boolean() && on.get<bool>()) values.push_back(v);
      }
    } else {
      return make_error(ErrorCode::kInvalidArgument, "invalid filter '{}'", key);
    }
  }
  return out;
}

Status check_filter_keys(const Filters& filters, const std::set<std::string>& allowed) {
  for (const auto& [key, values] : filters) {
    if (!allowed.contains(key))
      return make_error(ErrorCode::kInvalidArgument, "invalid filter '{}'", key);
  }
  return {};
}

Result<std::optional<bool>> dangling_filter(const Filters& filters) {
  auto it = filters.find("dangling");
  if (it == filters.end() || it->second.empty()) return std::optional<bool>();
  std::optional<bool> result;
  for (const auto& v : it->second) {
    std::string lower = to_lower(v);
    bool b;
    if (lower == "true" || lower == "1")
      b = true;
    else if (lower == "false" || lower == "0")
      b = false;
    else
      return make_error(ErrorCode::kInvalidArgument, "invalid filter 'dangling={}'", v);
    if (result && *result != b) {
      return Error(ErrorCode::kInvalidArgument, "invalid filter: dangling given twice");
    }
    result = b;
  }
  return result;
}

bool labels_match(const Filters& filters, const std::map<std::string, std::string>& labels) {
  auto has = [&](const std::string& spec) {
    bool with_value = false;
    auto [k, v] = split_once(spec, '=', &with_value);
    auto it = labels.find(std::string(k));
    if (it == labels.end()) return false;
    return !with_value || it->second == v;
  };
  if (auto it = filters.find("label"); it != filters.end()) {
    for (const auto& spec : it->second) {
      if (!has(spec)) return false;
    }
  }
  if (auto it = filters.find("label!"); it != filters.end()) {
    for (const auto& spec : it->second) {
      if (has(spec)) return false;
    }
  }
  return true;
}

bool reference_matches(std::string_view pattern, std::string_view familiar_string,
                       std::string_view familiar_name) {
  std::string p(pattern);
  // FNM_PATHNAME: like Go's path.Match, '*' and '?' do not match '/'.
  if (::fnmatch(p.c_str(), std::string(familiar_string).c_str(), FNM_PATHNAME) == 0) return true;
  return ::fnmatch(p.c_str(), std::string(familiar_name).c_str(), FNM_PATHNAME) == 0;
}

Result<int64_t> parse_until(std::string_view value, int64_t now_ns) {
  std::string v(trim(value));
  if (auto t = parse_rfc3339_ns(v); t.ok()) return *t;
  if (v.size() == 10 && v[4] == '-' && v[7] == '-') {
    if (auto t = parse_rfc3339_ns(v + "T00:00:00Z"); t.ok()) return *t;
  }
  if (!v.empty() && v.find_first_not_of("0123456789.") == std::string::npos) {
    double secs = std::stod(v);
    return static_cast<int64_t>(std::llround(secs * 1e9));
  }
  auto d = parse_go_duration_ns(v);
  if (d.ok()) return now_ns - *d;
  return make_error(ErrorCode::kInvalidArgument, "invalid filter 'until={}'", value);
}

}  // namespace berth::image
