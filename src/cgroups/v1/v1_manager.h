// The cgroup v1 manager: a directory per hierarchy, each controller written in its own.
#pragma once

#include <map>
#include <string>

#include "cgroups/manager.h"

namespace berth::cgroups {

class V1Manager final : public Manager {
 public:
  // `mounts`: controller -> hierarchy mount dir (Layout::v1).
  V1Manager(std::map<std::string, std::string> mounts, std::string path);

  Status create() override;
  Status apply(const oci::Resources& resources) override { return set(resources, true); }
  Status update(const oci::Resources& resources) override { return set(resources, false); }
  Status add_process(pid_t pid) override;
  Status freeze() override;
  Status thaw() override;
  Result<bool> is_frozen() override;
  Result<std::vector<pid_t>> processes() override;
  Status signal_all(int sig) override;
  Result<Stats> stats() override;
  Result<uint64_t> oom_kill_count() override;
  Status destroy() override;
  Result<UniqueFd> open_unified_dir() override;
  const std::string& path() const override { return path_; }
  std::vector<std::string> dirs() const override;

  // The pieces the hybrid manager combines with a V2Manager.
  // `reset_devices`: program the device list even when it is empty (at create).
  Status set(const oci::Resources& resources, bool reset_devices);
  Status collect_stats(Stats& stats);
  bool has(std::string_view controller) const { return mounts_.contains(std::string(controller)); }
  // The container's directory in a controller's hierarchy, or an error naming `resource`.
  Result<std::string> dir_for(std::string_view controller, std::string_view resource) const;

 private:
  Status set_cpu_and_memory(const oci::Resources& resources);
  Status set_io_and_others(const oci::Resources& resources, bool reset_devices);

  std::map<std::string, std::string> mounts_;
  std::string path_;
};

}  // namespace berth::cgroups
