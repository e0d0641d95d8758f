// A container as berthd knows it: the create request (merged with the image's config), its
// current state, and where its files are. Persisted whole as JSON in the containers table; one
// transaction per state change (container_store.h).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace berth::daemon {

// Docker's State.Status values.
enum class ContainerStatus { kCreated, kRunning, kPaused, kRestarting, kRemoving, kExited, kDead };

const char* status_name(ContainerStatus status);
Result<ContainerStatus> status_from_name(std::string_view name);

// The one place that says which lifecycle transitions are legal.
bool transition_allowed(ContainerStatus from, ContainerStatus to);

struct HealthLogEntry {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int exit_code = 0;
  std::string output;
};

struct HealthState {
  std::string status;  // "" (no healthcheck), "starting", "healthy", "unhealthy"
  int failing_streak = 0;
  std::vector<HealthLogEntry> log;  // the last 5
};

struct ContainerState {
  ContainerStatus status = ContainerStatus::kCreated;
  int pid = 0;
  int exit_code = 0;
  bool oom_killed = false;
  std::string error;
  int64_t started_at_ns = 0;   // 0: never
  int64_t finished_at_ns = 0;  // 0: never
  HealthState health;
  int restart_count = 0;
  // Consecutive restarts since the last run of ten seconds or more: the exponent of the
  // restart back-off. In memory only, like dockerd's restart manager.
  int restart_backoff = 0;
  bool manually_stopped = false;  // for unless-stopped, and so restart policies do not fire
  bool has_been_started = false;
};

// A volume or bind mount as resolved at create (docker inspect's Mounts[]).
struct MountPoint {
  std::string type;  // "bind", "volume", "tmpfs"
  std::string name;  // volume name
  std::string source;
  std::string destination;
  std::string driver;
  std::string mode;  // the ":z,ro" suffix as given
  bool rw = true;
  std::string propagation;
  Json tmpfs_options;  // for tmpfs mounts
  bool anonymous = false;
  bool copy_data = true;  // volume: fill it from the image at the first start (not "nocopy")
};

struct Container {
  std::string id;
  std::string name;  // without the leading '/'
  int64_t created_ns = 0;
  std::string image_id;    // sha256:...
  std::string image_name;  // Config.Image as the user gave it
  Json config;             // merged Config (docker inspect .Config)
  Json host_config;        // HostConfig
  Json networking_config;  // NetworkingConfig from the request
  Json network_settings;   // NetworkSettings (filled by the network manager at start)
  ContainerState state;
  std::vector<MountPoint> mounts;
  std::string snapshot_key;  // the writable layer (store::OverlaySnapshotter active key)
  std::string log_path;
  std::string hostname_path, hosts_path, resolv_conf_path;
  std::string platform = "linux";
  std::string driver = "overlay2";
  std::map<std::string, std::string> labels() const;

  // Serialised form for the database (not the API form; see container_inspect.h).
  Json to_record() const;
  static Result<Container> from_record(const Json& record);
};

}  // namespace berth::daemon
