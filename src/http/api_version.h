// Docker API versions ("1.47") and the "/v1.47/..." URL prefix.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace berth::http {

// Docker's versions.Compare: dot-separated numeric fields compared in turn, missing ones as 0.
// Returns <0, 0 or >0.
int compare_api_versions(std::string_view a, std::string_view b);

struct VersionedPath {
  std::optional<std::string> version;  // "1.47" when the path had a "/v1.47" prefix
  std::string path;                    // the path without the prefix
};

// Splits "/v1.47/containers/json" into {"1.47", "/containers/json"}, as dockerd's router
// pattern "/v{version:[0-9.]+}" does. Paths without such a prefix come back unchanged.
VersionedPath split_version_prefix(std::string_view path);

}  // namespace berth::http
