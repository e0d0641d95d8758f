// docker's --mount value (opts.MountOpt) as the API's Mount JSON, fields in Go's order.
#pragma once

#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace berth::cli {

// One --mount value; errors are docker's ("target is required", ...). `cwd` makes relative
// sources absolute as filepath.Abs does.
Result<OrderedJson> parse_mount(std::string_view value, const std::string& cwd);

// filepath.Abs + Clean against `cwd`.
std::string absolute_path(const std::string& path, const std::string& cwd);
// path.Clean.
std::string clean_path(std::string_view path);

}  // namespace berth::cli
