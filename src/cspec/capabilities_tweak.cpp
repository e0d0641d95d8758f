#include "cspec/capabilities_tweak.h"

#include <algorithm>

#include "base/strings.h"
#include "security/capabilities.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kAll = "ALL";

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

Result<std::vector<std::string>> normalize_capabilities(const std::vector<std::string>& names,
                                                        int last_cap) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    std::string upper = to_upper(name);
    if (upper == kAll) {
      out.push_back(upper);
      continue;
    }
    if (!upper.starts_with("CAP_")) upper.insert(0, "CAP_");
    auto cap = security::capability_from_name(upper);
    if (!cap) return make_error(ErrorCode::kInvalidArgument, "unknown capability: {:?}", upper);
    if (*cap > last_cap) {
      return make_error(ErrorCode::kInvalidArgument,
                        "capability not supported by your kernel or not available in the current "
                        "environment: {:?}",
                        upper);
    }
    out.push_back(upper);
  }
  return out;
}

Result<std::vector<std::string>> container_capabilities(const std::vector<std::string>& cap_add,
                                                        const std::vector<std::string>& cap_drop,
                                                        bool privileged, int last_cap) {
  if (privileged) return security::all_capabilities(last_cap);
  std::vector<std::string> defaults = security::docker_default_capabilities();
  if (cap_add.empty() && cap_drop.empty()) return defaults;
  auto drops = TRY(normalize_capabilities(cap_drop, last_cap));
  auto adds = TRY(normalize_capabilities(cap_add, last_cap));

  std::vector<std::string> out;
  auto add = [&out](const std::string& cap) {
    if (cap != kAll && !contains(out, cap)) out.push_back(cap);
  };
  if (contains(adds, kAll)) {
    for (const auto& cap : security::all_capabilities(last_cap)) {
      if (!contains(drops, cap)) add(cap);
    }
  } else if (contains(drops, kAll)) {
    for (const auto& cap : adds) add(cap);
  } else {
    for (const auto& cap : defaults) {
      if (!contains(drops, cap)) add(cap);
    }
    for (const auto& cap : adds) add(cap);
  }
  return out;
}

}  // namespace berth::cspec
