#include "cgroups/cgroup_path.h"

#include <algorithm>

#include "base/file_util.h"

namespace berth::cgroups {

namespace {

// "system.slice:docker:abc": three colon-separated parts and no leading slash.
bool looks_like_systemd_path(std::string_view path) {
  return !path.empty() && path.front() != '/' && std::count(path.begin(), path.end(), ':') == 2;
}

}  // namespace

Result<std::string> resolve_cgroup_path(std::string_view cgroups_path,
                                        std::string_view container_id) {
  if (looks_like_systemd_path(cgroups_path)) {
    return make_error(ErrorCode::kUnimplemented,
                      "cgroupsPath \"{}\": systemd cgroup driver not supported", cgroups_path);
  }
  std::string path;
  if (cgroups_path.empty()) {
    if (container_id.empty() || container_id.find('/') != std::string_view::npos ||
        container_id == "." || container_id == "..") {
      return make_error(ErrorCode::kInvalidArgument,
                        "invalid container id \"{}\" for a cgroup name", container_id);
    }
    path = "/" + std::string(container_id);
  } else {
    // Cleaning "/" + path keeps ".." from climbing out of the hierarchy.
    path = clean_path("/" + std::string(cgroups_path));
  }
  if (path == "/") {
    return make_error(
        ErrorCode::kInvalidArgument,
        "cgroupsPath \"{}\" names the hierarchy root; a container needs its own cgroup",
        cgroups_path);
  }
  return path;
}

}  // namespace berth::cgroups
