// DELETE /containers/{id}: stop it if forced, then the writable layer, the files, the volumes
// it alone used (with -v), and the record.
#include <signal.h>

#include "base/file_util.h"
#include "base/log.h"
#include "daemon/container_service.h"

namespace berth::daemon {

Status ContainerService::remove(const std::string& ref, bool force, bool remove_volumes) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  bool active = c.state.status == ContainerStatus::kRunning ||
                c.state.status == ContainerStatus::kPaused ||
                c.state.status == ContainerStatus::kRestarting;
  if (active) {
    if (!force) {
      const char* what = c.state.status == ContainerStatus::kPaused ? "paused" : "running";
      return make_error(ErrorCode::kConflict,
                        "cannot remove container \"/{}\": container is {}: stop the container "
                        "before removing or force remove",
                        c.name, what);
    }
    if (c.state.status == ContainerStatus::kRestarting) {
      c.state.status = ContainerStatus::kExited;
    } else {
      c.state.manually_stopped = true;
      (void)deps_.runtime->kill(c.id, SIGKILL, true);
      if (c.state.status == ContainerStatus::kPaused) (void)deps_.runtime->resume(c.id);
      TRY(wait_stopped(*entry, lock, 30'000));
    }
  }
  if (c.state.status == ContainerStatus::kRemoving)
    return make_error(ErrorCode::kConflict, "removal of container {} is already in progress", c.id);
  return remove_locked(entry, lock, remove_volumes);
}

Status ContainerService::remove_locked(ContainerRef entry, std::unique_lock<std::mutex>& lock,
                                       bool remove_volumes) {
  Container& c = entry->c;
  c.state.status = ContainerStatus::kRemoving;
  (void)deps_.containers->save(c);
  entry->changed.notify_all();
  cleanup_after_stop(c);
  auto layer = deps_.images->snapshots().remove_active(c.snapshot_key);
  if (!layer.ok() && layer.error().code() != ErrorCode::kNotFound) {
    c.state.status = ContainerStatus::kDead;
    c.state.error = layer.error().to_string();
    (void)deps_.containers->save(c);
    return layer;
  }
  if (deps_.volumes) {
    for (const auto& m : c.mounts) deps_.volumes->release(m, c, remove_volumes);
  }
  (void)remove_all(deps_.config->containers_dir() + "/" + c.id);
  TRY(deps_.containers->remove(c.id));
  std::string id = c.id;
  fail_pending_attaches(id, make_error(ErrorCode::kNotFound, "No such container: {}", id));
  publish(c, "destroy");
  entry->changed.notify_all();
  lock.unlock();
  {
    std::lock_guard removed(removed_mutex_);
    removed_.insert(id);
  }
  removed_cv_.notify_all();
  return {};
}

}  // namespace berth::daemon
