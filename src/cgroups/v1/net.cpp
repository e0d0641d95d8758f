// cgroup v1 net_cls and net_prio: tagging a container's packets for tc and per-interface priority.
#include <fmt/format.h>

#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

Status set_net_cls(const std::string& dir, uint32_t class_id) {
  return write_cgroup_file(dir, "net_cls.classid", std::to_string(class_id));
}

Status set_net_prio(const std::string& dir, const std::vector<oci::NetworkPriority>& priorities) {
  for (const auto& priority : priorities) {
    TRY(write_cgroup_file(dir, "net_prio.ifpriomap",
                          fmt::format("{} {}", priority.name, priority.priority)));
  }
  return {};
}

}  // namespace berth::cgroups::v1
