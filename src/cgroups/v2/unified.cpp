// linux.resources.unified: raw cgroup v2 files, written last so they override converted values.
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

Status check_name(const std::string& name, const std::vector<std::string>& available,
                  const std::string& dir) {
  // A name is one file in the container's own directory, never a path out of it.
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
    return make_error(ErrorCode::kInvalidArgument, "unified: invalid file name \"{}\"", name);
  bool found = false;
  auto [controller, knob] = split_once(name, '.', &found);
  if (!found || controller.empty() || knob.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "unified: \"{}\" is not a <controller>.<file> name", name);
  }
  if (controller == "cgroup") return {};  // core files need no controller
  for (const auto& c : available) {
    if (c == controller) return {};
  }
  return make_error(ErrorCode::kFailedPrecondition,
                    "unified.{}: the cgroup v2 \"{}\" controller is not available in {}", name,
                    controller, dir);
}

}  // namespace

Status check_unified(const std::string& dir, const std::map<std::string, std::string>& unified,
                     const std::vector<std::string>& available) {
  for (const auto& [name, value] : unified) TRY(check_name(name, available, dir));
  return {};
}

Status set_unified(const std::string& dir, const std::map<std::string, std::string>& unified,
                   const std::vector<std::string>& available) {
  TRY(check_unified(dir, unified, available));
  for (const auto& [name, value] : unified) {
    // Multi-line values (io.max for two devices) take one write per line.
    bool multi_line = trim(value).find('\n') != std::string_view::npos;
    auto status =
        multi_line ? write_cgroup_lines(dir, name, value) : write_cgroup_file(dir, name, value);
    TRY_CTX(std::move(status), "unified." + name);
  }
  return {};
}

}  // namespace berth::cgroups::v2
