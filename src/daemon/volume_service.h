// Volumes of the `local` driver: metadata in SQLite, data under <data-root>/volumes/<name>/_data,
// behind the /volumes API and the container lifecycle's VolumeHooks. Which containers use a
// volume is kept in memory (rebuilt from the containers at start-up); a volume in use cannot
// be removed, and a volume with a type/device option is mounted while it is in use.
//
// Files: volume_service.cpp (start-up, create, remove, list, prune, df), volume_hooks.cpp
// (acquire/populate/release for containers), volume_mount.cpp (the local driver's mounts),
// volume_views.cpp (JSON).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container_service.h"
#include "daemon/volume.h"
#include "daemon/volume_store.h"

namespace berth::daemon {

struct VolumeServiceOptions {
  state::Database* database = nullptr;
  std::string data_root;
  ContainerStore* containers = nullptr;
  EventBus* events = nullptr;
};

class VolumeService final : public VolumeHooks {
 public:
  static Result<std::unique_ptr<VolumeService>> open(VolumeServiceOptions options);

  // VolumeHooks.
  Result<MountPoint> acquire(const cspec::MountRequest& request, const Container& c) override;
  Status populate(const MountPoint& mount, const std::string& rootfs) override;
  void release(const MountPoint& mount, const Container& c, bool remove_anonymous) override;

  // The /volumes API. Answers are the Engine API's JSON.
  Result<Json> create(const Json& body);
  Result<Json> inspect(const std::string& name);
  Result<Json> list(const std::string& filters);
  Status remove(const std::string& name, bool force);
  Result<Json> prune(const std::string& filters);
  // For GET /system/df: every volume with UsageData {Size, RefCount}.
  Json disk_usage();

  std::string data_dir(const std::string& name) const;

 private:
  explicit VolumeService(VolumeServiceOptions options) : options_(std::move(options)) {}
  Status start_up();
  Result<Volume> create_locked(const std::string& name, const std::string& driver,
                               std::map<std::string, std::string> options,
                               std::map<std::string, std::string> labels);
  Status remove_locked(const std::string& name);
  Result<const Volume*> find_locked(const std::string& name) const;
  std::string volume_dir(const std::string& name) const;
  void publish_event(const std::string& action, const Volume& volume);

  // volume_mount.cpp
  Status mount_locked(const Volume& volume);
  void unmount_locked(const Volume& volume);

  // volume_views.cpp
  Json volume_json(const Volume& volume) const;

  VolumeServiceOptions options_;
  std::unique_ptr<VolumeStore> store_;
  std::mutex mu_;
  std::map<std::string, Volume> volumes_;
  std::map<std::string, std::set<std::string>> users_;  // volume -> container ids
};

}  // namespace berth::daemon
