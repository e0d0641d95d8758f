// The container lifecycle behind the /containers API: create, start, stop, kill, restart,
// pause, wait, remove, rename, and what happens when a container exits (restart policies,
// --rm). Streams (attach, logs, exec) and inspection live in their own services, on the same
// store. One file per operation: container_create.cpp, container_start.cpp, ...
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"
#include "cspec/mount_request.h"
#include "daemon/container_store.h"
#include "daemon/daemon_config.h"
#include "daemon/events.h"
#include "daemon/exit_monitor.h"
#include "daemon/shim_client.h"
#include "daemon/task_queue.h"
#include "image/image_store.h"
#include "runtime/runtime.h"

namespace berth::daemon {

struct CreateResult {
  std::string id;
  std::vector<std::string> warnings;
};

enum class WaitCondition { kNotRunning, kNextExit, kRemoved };

struct WaitResult {
  int exit_code = 0;
  std::string error;
};

// Ends a wait() early when its API client went away (docker run -d sends a wait before start
// and then disconnects): without it the handler thread would stay blocked until the container
// exits, and a stopping berthd would wait for it forever.
class WaitCancel {
 public:
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

 private:
  std::atomic<bool> cancelled_{false};
};

// Attach streams registered before `start`, connected by start before the process runs so
// that no output is lost (docker run attaches, then starts).
struct PendingAttach {
  bool stdin = false;
  bool stdout = false;
  bool stderr = false;
  // Called by start with the shim stream (or an error); runs on start's thread.
  std::function<void(Result<ShimStream>)> connected;
};

// Networking hooks the network service (issue 5) implements; by default containers get a
// private network namespace with only loopback.
class NetworkHooks {
 public:
  virtual ~NetworkHooks() = default;
  // At create: checks the networks the container names (an unknown one fails the create, as
  // with dockerd), and records its endpoint settings in networking_config/network_settings.
  virtual Status prepare(Container& container) {
    (void)container;
    return {};
  }
  // Prepares the container's network before its process starts; fills network_settings and
  // returns the netns path to join ("" = a new, empty namespace).
  virtual Result<std::string> setup(Container& container) = 0;
  // Undoes setup after the container stopped (or when start failed).
  virtual void teardown(Container& container) = 0;
  // /etc/hosts and /etc/resolv.conf contents for the container.
  virtual std::string hosts_file(const Container& container) = 0;
  virtual std::string resolv_conf(const Container& container) = 0;
};

// Volumes for mounts of type "volume" (issue 5's volume service implements it).
class VolumeHooks {
 public:
  virtual ~VolumeHooks() = default;
  // Creates (or finds) the volume a mount names — an anonymous one when the name is empty —
  // and returns the mount point, its source being the volume's directory.
  virtual Result<MountPoint> acquire(const cspec::MountRequest& request, const Container& c) = 0;
  // Before the first start: copies the image's content at the destination into an empty
  // volume (Docker's populate-on-first-mount), unless the mount said nocopy.
  virtual Status populate(const MountPoint& mount, const std::string& rootfs) = 0;
  // The container no longer uses the mount; anonymous volumes go when `remove_anonymous`.
  virtual void release(const MountPoint& mount, const Container& c, bool remove_anonymous) = 0;
};

// Runs a container's healthcheck while it is running (health_monitor.h).
class HealthWatcher {
 public:
  virtual ~HealthWatcher() = default;
  // Called by start with the container's lock held: must not block on the container.
  virtual void watch(const std::string& id) = 0;
  // The container stopped: probing ends (also called with the container's lock held).
  virtual void unwatch(const std::string& id) { (void)id; }
};

struct ServiceDeps {
  const DaemonConfig* config = nullptr;
  cspec::HostInfo host;
  ContainerStore* containers = nullptr;
  image::ImageStore* images = nullptr;
  EventBus* events = nullptr;
  runtime::Runtime* runtime = nullptr;
  const ShimLauncher* shims = nullptr;
  TaskQueue* tasks = nullptr;
  NetworkHooks* network = nullptr;
  VolumeHooks* volumes = nullptr;
};

class ContainerService {
 public:
  explicit ContainerService(ServiceDeps deps);
  ~ContainerService();

  Result<CreateResult> create(const Json& body, const std::string& name);
  // kNotModified-like: Error kAlreadyExists "container already started" -> HTTP 304.
  Status start(const std::string& ref);
  Status stop(const std::string& ref, std::optional<int> timeout_s,
              const std::string& signal = "");
  Status restart(const std::string& ref, std::optional<int> timeout_s,
                 const std::string& signal = "");
  Status kill(const std::string& ref, const std::string& signal);
  Status pause(const std::string& ref);
  Status unpause(const std::string& ref);
  // Blocks until `condition`; kCancelled once `cancel` is cancelled and wake_waiters is called.
  Result<WaitResult> wait(const std::string& ref, WaitCondition condition,
                          const WaitCancel* cancel = nullptr);
  // Wakes the wait()s on a container so that they notice a cancel. Never blocks on the
  // container's mutex (it runs on HTTP I/O threads).
  void wake_waiters(const std::string& ref);
  Status remove(const std::string& ref, bool force, bool remove_volumes);
  Status rename(const std::string& ref, const std::string& new_name);
  // Registers a stream for the next start (or connects it now when running).
  Status attach_before_start(const ContainerRef& entry, PendingAttach attach);

  // At daemon start: reconnect to running shims, record exits that happened meanwhile, and
  // start containers whose restart policy says so.
  void reconcile();

  ContainerStore& store() { return *deps_.containers; }
  void set_health_watcher(HealthWatcher* health) { health_ = health; }
  const ServiceDeps& deps() const { return deps_; }
  std::string bundle_dir(const std::string& id) const;
  // The stop signal and timeout a container was configured with.
  int stop_signal(const Container& c) const;
  int stop_timeout(const Container& c) const;

  // Chain IDs the containers' writable layers build on (for image GC).
  std::set<store::Digest> layer_users() const;
  void publish(const Container& c, const std::string& action,
               std::map<std::string, std::string> extra = {});

 private:
  Status start_locked(ContainerEntry& entry, bool is_restart);
  Status prepare_files(Container& c);
  void cleanup_after_stop(Container& c);
  void on_exit(const std::string& id, const shim::ExitRecord& record);
  void handle_exit(const std::string& id, const shim::ExitRecord& record);
  bool should_restart(const Container& c, int exit_code) const;
  void schedule_restart(const std::string& id);
  Status kill_locked(Container& c, int sig);
  Status wait_stopped(ContainerEntry& entry, std::unique_lock<std::mutex>& lock, int timeout_ms);
  Status remove_locked(ContainerRef entry, std::unique_lock<std::mutex>& lock, bool remove_volumes);
  // Ends the attach streams waiting for a start that will not come (a failed start, removal).
  void fail_pending_attaches(const std::string& id, const Error& error);

  ServiceDeps deps_;
  HealthWatcher* health_ = nullptr;
  std::unique_ptr<ExitMonitor> exits_;
  std::mutex pending_mutex_;
  std::map<std::string, std::vector<PendingAttach>> pending_attaches_;
  // Removed containers' exit codes for waiters of condition=removed; woken by removal.
  std::mutex removed_mutex_;
  std::condition_variable removed_cv_;
  std::set<std::string> removed_;
  // Generated names of containers being created, not yet in the store (container_create.cpp).
  std::mutex reserved_names_mutex_;
  std::set<std::string> reserved_names_;
};

// The HTTP-ish error for "already started"/"already stopped": handlers answer 304.
inline constexpr const char* kNotModified = "not modified";

}  // namespace berth::daemon
