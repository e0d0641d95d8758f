#include "net/default_pools.h"

namespace berth::net {
namespace {

DefaultPool pool(std::string_view base, int size) {
  return {Prefix::parse(base).take(), size};
}

}  // namespace

std::vector<DefaultPool> docker_default_pools_v4() {
  return {pool("172.17.0.0/16", 16), pool("172.18.0.0/16", 16), pool("172.19.0.0/16", 16),
          pool("172.20.0.0/14", 16), pool("172.24.0.0/14", 16), pool("172.28.0.0/14", 16),
          pool("192.168.0.0/16", 20)};
}

std::vector<DefaultPool> docker_default_pools_v6() {
  return {pool("fd00::/8", 64)};
}

Result<std::vector<DefaultPool>> parse_default_pools(const Json& json) {
  if (!json.is_array()) {
    return make_error(ErrorCode::kInvalidArgument, "default-address-pools: expected an array");
  }
  std::vector<DefaultPool> pools;
  for (const auto& entry : json) {
    if (!entry.is_object() || !entry.contains("base") || !entry["base"].is_string() ||
        !entry.contains("size") || !entry["size"].is_number_integer()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "default-address-pools: each entry needs \"base\" and \"size\"");
    }
    std::string base_text = entry["base"].get<std::string>();
    auto base = Prefix::parse(base_text);
    if (!base.ok()) {
      return make_error(ErrorCode::kInvalidArgument, "invalid base pool \"{}\": {}", base_text,
                        base.error().message());
    }
    int size = entry["size"].get<int>();
    if (size <= 0 || size < base->length() || size > base->max_length()) {
      return make_error(ErrorCode::kInvalidArgument, "invalid pools size: {}", size);
    }
    pools.push_back({*base, size});
  }
  return pools;
}

}  // namespace berth::net
