// `delete`: removes a stopped (or, with force, any) container: processes, cgroup, state.
#include <signal.h>
#include <sys/wait.h>

#include "base/file_util.h"
#include "base/log.h"
#include "runtime/runtime.h"
#include "sys/process.h"

namespace berth::runtime {

Status Runtime::remove(const std::string& id, bool force) {
  TRY(validate_container_id(id));
  if (!path_exists(store_.dir(id)))
    return make_error(ErrorCode::kNotFound, "container does not exist: {}", id);
  auto lock = TRY(store_.lock(id));
  auto loaded = lookup(id);
  if (!loaded.ok()) {
    // A state directory without a readable state.json is debris of an interrupted create.
    if (loaded.error().code() == ErrorCode::kNotFound ||
        loaded.error().code() == ErrorCode::kDataLoss)
      return store_.remove(id);
    return std::move(loaded).error();
  }
  ListEntry entry = std::move(*loaded);
  auto manager = TRY(cgroup_manager(entry.state));
  switch (entry.status) {
    case ContainerStatus::kStopped: break;
    case ContainerStatus::kCreated:
      // Never started: there is nothing of the user's to stop gracefully.
      break;
    default:
      if (!force) {
        return make_error(ErrorCode::kFailedPrecondition,
                          "cannot delete container {} that is not stopped: {}", id,
                          status_name(entry.status));
      }
  }
  if (entry.status != ContainerStatus::kStopped) {
    auto pidfd = sys::pidfd_open(entry.state.init_pid);
    if (entry.state.has_init_pid_ns) {
      // Killing pid 1 of a pid namespace kills everything in it.
      ::kill(entry.state.init_pid, SIGKILL);
    }
    TRY(manager->signal_all(SIGKILL));
    // Tasks frozen by the v1 freezer keep a pending SIGKILL until thawed.
    if (entry.status == ContainerStatus::kPaused) TRY_CTX(manager->thaw(), "thaw to kill");
    if (pidfd.ok()) TRY(sys::pidfd_wait(pidfd->get(), 10'000));
    // The init is our child only when we created it in this process; reap if so.
    ::waitpid(entry.state.init_pid, nullptr, WNOHANG);
  }
  TRY_CTX(manager->destroy(), "remove cgroup");
  auto hooks = run_poststop_hooks(entry.state);
  if (!hooks.ok()) log::warn("{}", hooks.error().to_string());
  return store_.remove(id);
}

}  // namespace berth::runtime
