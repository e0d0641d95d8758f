// linux.cgroupsPath -> the container's path inside every hierarchy ("/berth/abc").
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::cgroups {

// Absolute paths are taken as they are (cleaned). Relative paths are taken relative to each
// hierarchy's root — runc's cgroupfs driver would put them under the caller's own cgroup, but a
// caller in memory:/process_api/x and cpu:/ would then get different paths per hierarchy, so
// Berth anchors everything at the root. Empty means "/<container_id>", where runc's default name
// (the container id) lands when the caller sits in the root cgroup. The systemd driver's
// "slice:prefix:name" form is refused. ".." never climbs above the root.
Result<std::string> resolve_cgroup_path(std::string_view cgroups_path,
                                        std::string_view container_id);

}  // namespace berth::cgroups
