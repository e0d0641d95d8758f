// `pause` / `resume`: the freezer.
#include "runtime/runtime.h"

namespace berth::runtime {

Status Runtime::pause(const std::string& id) {
  auto lock = TRY(store_.lock(id));
  ListEntry entry = TRY(lookup(id));
  if (entry.status != ContainerStatus::kRunning && entry.status != ContainerStatus::kCreated)
    return make_error(ErrorCode::kFailedPrecondition, "container not running: {}",
                      status_name(entry.status));
  auto manager = TRY(cgroup_manager(entry.state));
  return manager->freeze();
}

Status Runtime::resume(const std::string& id) {
  auto lock = TRY(store_.lock(id));
  ListEntry entry = TRY(lookup(id));
  if (entry.status != ContainerStatus::kPaused)
    return make_error(ErrorCode::kFailedPrecondition, "container not paused: {}",
                      status_name(entry.status));
  auto manager = TRY(cgroup_manager(entry.state));
  return manager->thaw();
}

}  // namespace berth::runtime
