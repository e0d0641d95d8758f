// `kill`: a signal to the init, or with --all to every process in the container's cgroup.
#include <signal.h>

#include <cerrno>

#include "runtime/runtime.h"
#include "sys/process.h"
#include "sys/syscalls.h"

namespace berth::runtime {

Status Runtime::kill(const std::string& id, int signal, bool all) {
  ListEntry entry = TRY(lookup(id));
  if (entry.status == ContainerStatus::kStopped && !all)
    return Error(ErrorCode::kFailedPrecondition, "container not running");
  if (all) {
    auto manager = TRY(cgroup_manager(entry.state));
    TRY(manager->signal_all(signal));
    // A frozen (v1) task dies of SIGKILL only once thawed; killing them all ends the pause.
    if (signal == SIGKILL && entry.status == ContainerStatus::kPaused) TRY(manager->thaw());
    return {};
  }
  // A pidfd pins the process we checked, so a recycled pid can never receive the signal.
  UniqueFd pidfd = TRY(sys::pidfd_open(entry.state.init_pid));
  if (!sys::process_matches(entry.state.init_pid, entry.state.init_start_time))
    return Error(ErrorCode::kFailedPrecondition, "container not running");
  if (sys::raw_pidfd_send_signal(pidfd.get(), signal) != 0) {
    if (errno == ESRCH) return Error(ErrorCode::kFailedPrecondition, "container not running");
    return errno_error("send signal");
  }
  return {};
}

}  // namespace berth::runtime
