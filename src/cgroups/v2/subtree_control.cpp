// Enabling controllers down the path to a new cgroup.
#include <algorithm>

#include "base/log.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

void enable_in(const std::string& dir) {
  auto offered = read_cgroup_words(dir, "cgroup.controllers");
  if (!offered.ok()) return;
  auto enabled = read_cgroup_words(dir, "cgroup.subtree_control").value_or({});
  std::vector<std::string> wanted;
  for (const auto& controller : *offered) {
    if (std::find(enabled.begin(), enabled.end(), controller) == enabled.end())
      wanted.push_back("+" + controller);
  }
  if (wanted.empty()) return;
  if (write_cgroup_file(dir, "cgroup.subtree_control", join(wanted, " ")).ok()) return;
  // One refusal (say, cpu while a realtime task runs outside it) fails the whole write; enable
  // what can be enabled. A resource that needs a missing controller fails later, by name.
  for (const auto& controller : wanted) {
    auto status = write_cgroup_file(dir, "cgroup.subtree_control", controller);
    if (!status.ok()) log::debug("cgroup v2: {}", status.error().to_string());
  }
}

}  // namespace

Status enable_controllers(const std::string& mount, const std::vector<std::string>& levels) {
  enable_in(mount);
  for (size_t i = 0; i + 1 < levels.size(); ++i) enable_in(levels[i]);
  return {};
}

}  // namespace berth::cgroups::v2
