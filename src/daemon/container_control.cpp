// stop, kill, restart, pause, unpause, wait, rename.
#include <signal.h>

#include <chrono>

#include "base/time_format.h"
#include "cspec/signal_names.h"
#include "daemon/container_service.h"
#include "runtime/signals.h"

namespace berth::daemon {
namespace {

bool is_active(ContainerStatus s) {
  return s == ContainerStatus::kRunning || s == ContainerStatus::kPaused;
}

Error not_running(const Container& c) {
  return make_error(ErrorCode::kConflict, "Container {} is not running", c.id);
}

}  // namespace

int ContainerService::stop_signal(const Container& c) const {
  std::string name = c.config.value("StopSignal", std::string());
  if (!name.empty()) {
    auto sig = runtime::parse_signal(name);
    if (sig.ok()) return *sig;
  }
  return SIGTERM;
}

int ContainerService::stop_timeout(const Container& c) const {
  if (c.config.contains("StopTimeout") && c.config["StopTimeout"].is_number_integer())
    return c.config["StopTimeout"].get<int>();
  return 10;
}

Status ContainerService::kill_locked(Container& c, int sig) {
  auto st = deps_.runtime->kill(c.id, sig, false);
  if (!st.ok() && st.error().code() == ErrorCode::kFailedPrecondition) return not_running(c);
  return st;
}

Status ContainerService::wait_stopped(ContainerEntry& entry, std::unique_lock<std::mutex>& lock,
                                      int timeout_ms) {
  auto stopped = [&] { return !is_active(entry.c.state.status); };
  if (timeout_ms < 0) {
    entry.changed.wait(lock, stopped);
    return {};
  }
  if (!entry.changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), stopped))
    return Error(ErrorCode::kDeadlineExceeded, "container did not stop in time");
  return {};
}

Status ContainerService::stop(const std::string& ref, std::optional<int> timeout_s,
                              const std::string& signal) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  if (c.state.status == ContainerStatus::kRestarting) {
    // Waiting for a restart back-off: cancel it.
    c.state.status = ContainerStatus::kExited;
    c.state.manually_stopped = true;
    TRY(deps_.containers->save(c));
    entry->changed.notify_all();
    return {};
  }
  if (!is_active(c.state.status)) return Error(ErrorCode::kAlreadyExists, kNotModified);
  c.state.manually_stopped = true;
  TRY(deps_.containers->save(c));
  int sig = stop_signal(c);
  if (!signal.empty()) sig = TRY(runtime::parse_signal(signal));
  int timeout = timeout_s.value_or(stop_timeout(c));
  bool paused = c.state.status == ContainerStatus::kPaused;
  (void)kill_locked(c, sig);
  if (paused) (void)deps_.runtime->resume(c.id);
  if (timeout >= 0) {
    if (wait_stopped(*entry, lock, timeout * 1000).ok()) return {};
  } else {
    return wait_stopped(*entry, lock, -1);
  }
  // The grace period is over.
  (void)kill_locked(c, SIGKILL);
  return wait_stopped(*entry, lock, 30'000);
}

Status ContainerService::restart(const std::string& ref, std::optional<int> timeout_s,
                                 const std::string& signal) {
  auto stopped = stop(ref, timeout_s, signal);
  if (!stopped.ok() && stopped.error().message() != kNotModified) return stopped;
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  entry->c.state.manually_stopped = false;
  if (is_active(entry->c.state.status)) return {};
  TRY(start_locked(*entry, false));
  publish(entry->c, "restart");
  return {};
}

Status ContainerService::kill(const std::string& ref, const std::string& signal) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  int sig = SIGKILL;
  if (!signal.empty()) {
    auto parsed = runtime::parse_signal(signal);
    if (!parsed.ok())
      return make_error(ErrorCode::kInvalidArgument, "Invalid signal: {}", signal);
    sig = *parsed;
  }
  if (!is_active(c.state.status)) return not_running(c);
  // As dockerd (ExitOnNext): a container killed with SIGKILL or its stop signal is not
  // restarted by its policy when it exits.
  if (sig == SIGKILL || sig == stop_signal(c)) {
    c.state.manually_stopped = true;
    TRY(deps_.containers->save(c));
  }
  TRY(kill_locked(c, sig));
  publish(c, "kill", {{"signal", std::to_string(sig)}});
  return {};
}

Status ContainerService::pause(const std::string& ref) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  if (c.state.status == ContainerStatus::kPaused)
    return make_error(ErrorCode::kConflict, "Container {} is already paused", c.id);
  if (c.state.status != ContainerStatus::kRunning) return not_running(c);
  TRY(deps_.runtime->pause(c.id));
  c.state.status = ContainerStatus::kPaused;
  TRY(deps_.containers->save(c));
  entry->changed.notify_all();
  publish(c, "pause");
  return {};
}

Status ContainerService::unpause(const std::string& ref) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  if (c.state.status != ContainerStatus::kPaused)
    return make_error(ErrorCode::kConflict, "Container {} is not paused", c.id);
  TRY(deps_.runtime->resume(c.id));
  c.state.status = ContainerStatus::kRunning;
  TRY(deps_.containers->save(c));
  entry->changed.notify_all();
  publish(c, "unpause");
  return {};
}

Result<WaitResult> ContainerService::wait(const std::string& ref, WaitCondition condition,
                                          const WaitCancel* cancel) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  // wake_waiters notifies without the mutex (it must not block), so a wake-up can slip in
  // between a predicate check and the wait: waiting in slices bounds that miss to a second.
  constexpr auto kSlice = std::chrono::seconds(1);
  auto cancelled = [&] { return cancel != nullptr && cancel->cancelled(); };
  const Error gone(ErrorCode::kCancelled, "the client went away");
  if (condition == WaitCondition::kRemoved) {
    std::string id = c.id;
    lock.unlock();
    std::unique_lock removed_lock(removed_mutex_);
    while (removed_.count(id) == 0) {
      if (cancelled()) return gone;
      removed_cv_.wait_for(removed_lock, kSlice);
    }
    return WaitResult{entry->c.state.exit_code, ""};
  }
  if (condition == WaitCondition::kNotRunning && !is_active(c.state.status) &&
      c.state.status != ContainerStatus::kRestarting) {
    return WaitResult{c.state.exit_code, c.state.error};
  }
  int64_t finished_before = c.state.finished_at_ns;
  auto exited = [&] {
    return c.state.finished_at_ns != finished_before && c.state.status != ContainerStatus::kRunning;
  };
  while (!exited()) {
    if (cancelled()) return gone;
    entry->changed.wait_for(lock, kSlice);
  }
  return WaitResult{c.state.exit_code, c.state.error};
}

void ContainerService::wake_waiters(const std::string& ref) {
  if (auto entry = deps_.containers->lookup(ref); entry.ok()) (*entry)->changed.notify_all();
  removed_cv_.notify_all();
}

Status ContainerService::rename(const std::string& ref, const std::string& new_name) {
  ContainerRef entry = TRY(deps_.containers->lookup(ref));
  std::unique_lock lock(entry->mutex);
  std::string old_name = entry->c.name;
  if (normalize_container_name(new_name) == old_name)
    return Error(ErrorCode::kInvalidArgument, "Renaming a container with the same name as its current name");
  TRY(deps_.containers->rename(entry, new_name));
  publish(entry->c, "rename", {{"oldName", "/" + old_name}});
  return {};
}

}  // namespace berth::daemon
