// Lookups in the mount table (/proc/self/mountinfo).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::sys {

// mountinfo escapes space, tab, newline and backslash in paths as \ooo; this undoes it.
std::string unescape_mountinfo_field(std::string_view field);

// The mount point of the mount that holds `path` (absolute, symlinks already resolved): the
// longest mount point in `mountinfo` that is `path` itself or one of its ancestors.
std::string containing_mount_point(std::string_view mountinfo, std::string_view path);

// The same for the calling process: resolves `path` and reads /proc/self/mountinfo.
Result<std::string> containing_mount_point(const std::string& path);

}  // namespace berth::sys
