// What happens when a container's init exits: the state, the events, the cleanup, and then
// --rm or the restart policy (with Docker's back-off: 100 ms doubling to a minute, reset after
// ten seconds of running).
#include <algorithm>
#include <chrono>

#include "base/file_util.h"
#include "base/log.h"
#include "base/time_format.h"
#include "daemon/container_service.h"
#include "daemon/rootfs_mount.h"

namespace berth::daemon {
namespace {

struct RestartPolicy {
  std::string name = "no";
  int max_retries = 0;
};

RestartPolicy restart_policy(const Container& c) {
  RestartPolicy p;
  if (c.host_config.contains("RestartPolicy") && c.host_config["RestartPolicy"].is_object()) {
    const Json& rp = c.host_config["RestartPolicy"];
    p.name = rp.value("Name", std::string("no"));
    if (p.name.empty()) p.name = "no";
    p.max_retries = rp.value("MaximumRetryCount", 0);
  }
  return p;
}

}  // namespace

ContainerService::ContainerService(ServiceDeps deps) : deps_(std::move(deps)) {
  exits_ = std::make_unique<ExitMonitor>(
      [this](const std::string& id, const shim::ExitRecord& record) { on_exit(id, record); });
}

ContainerService::~ContainerService() { exits_.reset(); }

void ContainerService::publish(const Container& c, const std::string& action,
                               std::map<std::string, std::string> extra) {
  Event e;
  e.type = "container";
  e.action = action;
  e.actor_id = c.id;
  e.attributes = c.labels();
  e.attributes["image"] = c.image_name;
  e.attributes["name"] = c.name;
  for (auto& [k, v] : extra) e.attributes[k] = v;
  deps_.events->publish(std::move(e));
}

std::set<store::Digest> ContainerService::layer_users() const {
  std::set<store::Digest> users;
  for (const auto& entry : deps_.containers->list()) {
    std::lock_guard lock(entry->mutex);
    auto image = deps_.images->get(*store::Digest::parse(entry->c.image_id));
    if (image.ok() && image->top_layer) users.insert(*image->top_layer);
  }
  return users;
}

void ContainerService::on_exit(const std::string& id, const shim::ExitRecord& record) {
  // Runs on the exit monitor's thread (or a caller of watch()): hand over to the task queue.
  deps_.tasks->post([this, id, record] { handle_exit(id, record); });
}

void ContainerService::cleanup_after_stop(Container& c) {
  std::string bundle = bundle_dir(c.id);
  if (auto st = unmount_rootfs(bundle + "/rootfs"); !st.ok()) log::warn("{}", st.error().to_string());
  if (deps_.network) deps_.network->teardown(c);
  // The runtime state goes with the shim; if the shim died first, remove it here.
  (void)deps_.runtime->remove(c.id, true);
  (void)remove_all(bundle);
}

bool ContainerService::should_restart(const Container& c, int exit_code) const {
  if (c.state.manually_stopped) return false;
  if (c.host_config.value("AutoRemove", false)) return false;
  RestartPolicy p = restart_policy(c);
  if (p.name == "always" || p.name == "unless-stopped") return true;
  if (p.name == "on-failure") {
    if (exit_code == 0) return false;
    return p.max_retries <= 0 || c.state.restart_count < p.max_retries;
  }
  return false;
}

void ContainerService::handle_exit(const std::string& id, const shim::ExitRecord& record) {
  auto found = deps_.containers->lookup(id);
  if (!found.ok()) return;
  ContainerRef entry = *found;
  std::unique_lock lock(entry->mutex);
  Container& c = entry->c;
  if (c.state.status != ContainerStatus::kRunning && c.state.status != ContainerStatus::kPaused)
    return;  // a stale report (the exit was handled already)
  int64_t ran_ns = record.exited_at_ns - c.state.started_at_ns;
  if (health_) health_->unwatch(id);
  c.state.status = ContainerStatus::kExited;
  c.state.exit_code = record.exit_code;
  c.state.oom_killed = record.oom_killed;
  c.state.finished_at_ns = record.exited_at_ns ? record.exited_at_ns : unix_nanos_now();
  c.state.pid = 0;
  cleanup_after_stop(c);
  bool restart = should_restart(c, record.exit_code);
  if (restart) c.state.status = ContainerStatus::kRestarting;
  if (auto st = deps_.containers->save(c); !st.ok()) log::error("save {}: {}", c.id, st.error().to_string());
  entry->changed.notify_all();
  if (record.oom_killed) publish(c, "oom");
  publish(c, "die", {{"exitCode", std::to_string(record.exit_code)},
                     {"execDuration", std::to_string(std::max<int64_t>(0, ran_ns) / 1'000'000'000)}});

  if (c.host_config.value("AutoRemove", false)) {
    // --rm: remove once it has exited, volumes included (anonymous ones).
    auto st = remove_locked(entry, lock, true);
    if (!st.ok()) log::warn("auto-remove {}: {}", id, st.error().to_string());
    return;
  }
  if (restart) {
    // Back-off: 100 ms doubling per consecutive restart, capped at a minute; a run of ten
    // seconds or more counts as healthy and resets it (but not RestartCount, which the
    // on-failure limit counts against).
    if (ran_ns >= 10'000'000'000LL) c.state.restart_backoff = 0;
    int exponent = std::min(c.state.restart_backoff, 10);
    c.state.restart_backoff += 1;
    auto delay = std::chrono::milliseconds(std::min<int64_t>(100LL << exponent, 60'000));
    deps_.tasks->post_after(delay, [this, id] { schedule_restart(id); });
  }
}

void ContainerService::schedule_restart(const std::string& id) {
  auto found = deps_.containers->lookup(id);
  if (!found.ok()) return;
  std::unique_lock lock((*found)->mutex);
  Container& c = (*found)->c;
  if (c.state.status != ContainerStatus::kRestarting || c.state.manually_stopped) return;
  auto st = start_locked(**found, true);
  if (!st.ok()) {
    log::warn("restart {}: {}", id, st.error().to_string());
    c.state.status = ContainerStatus::kExited;
    (void)deps_.containers->save(c);
    (*found)->changed.notify_all();
    // A failed start counts as a failed run: try again later, as the policy says.
    if (should_restart(c, c.state.exit_code)) {
      c.state.restart_count += 1;
      c.state.status = ContainerStatus::kRestarting;
      (void)deps_.containers->save(c);
      int exponent = std::min(c.state.restart_backoff, 10);
      c.state.restart_backoff += 1;
      deps_.tasks->post_after(std::chrono::milliseconds(std::min<int64_t>(100LL << exponent, 60'000)),
                              [this, id] { schedule_restart(id); });
    }
  }
}

void ContainerService::reconcile() {
  for (const ContainerRef& entry : deps_.containers->list()) {
    std::unique_lock lock(entry->mutex);
    Container& c = entry->c;
    switch (c.state.status) {
      case ContainerStatus::kRunning:
      case ContainerStatus::kPaused: {
        // The shim kept the container running while we were away; reconnect (or learn that
        // it exited meanwhile: the monitor reports that through handle_exit).
        std::string bundle = bundle_dir(c.id);
        lock.unlock();
        exits_->watch(c.id, bundle);
        lock.lock();
        if (c.state.status == ContainerStatus::kRunning && !c.state.health.status.empty() && health_)
          health_->watch(c.id);
        break;
      }
      case ContainerStatus::kRestarting:
        deps_.tasks->post([this, id = c.id] { schedule_restart(id); });
        break;
      case ContainerStatus::kRemoving: {
        lock.unlock();
        (void)remove(c.id, true, false);
        break;
      }
      case ContainerStatus::kExited:
      case ContainerStatus::kCreated: {
        // A bundle left by a start that berthd died in the middle of (a rootfs mount, a
        // network sandbox, maybe a shim whose container still waits for `start`): undo it, or
        // the next start would mount over the stale rootfs and leak it.
        if (path_exists(bundle_dir(c.id))) {
          log::warn("container {}: removing what an interrupted start left", c.id);
          cleanup_after_stop(c);
          (void)deps_.containers->save(c);
        }
        // Restart policies apply when the daemon starts: always (even if stopped by hand,
        // as Docker does) and unless-stopped (unless stopped by hand).
        RestartPolicy p = restart_policy(c);
        bool restart = c.state.has_been_started &&
                       (p.name == "always" || (p.name == "unless-stopped" && !c.state.manually_stopped));
        if (restart) {
          c.state.manually_stopped = false;
          c.state.status = ContainerStatus::kRestarting;
          (void)deps_.containers->save(c);
          deps_.tasks->post([this, id = c.id] { schedule_restart(id); });
        }
        break;
      }
      default: break;
    }
  }
}

}  // namespace berth::daemon
