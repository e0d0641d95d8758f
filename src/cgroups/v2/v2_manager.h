// The cgroup v2 manager: one directory in the unified hierarchy holds every controller.
#pragma once

#include <set>
#include <string>

#include "cgroups/manager.h"

namespace berth::cgroups {

class V2Manager final : public Manager {
 public:
  // `mount`: the cgroup2 mount. `elsewhere`: controllers another manager owns (the v1 ones on a
  // hybrid host); their statistics are not collected here.
  V2Manager(std::string mount, std::string path, std::set<std::string> elsewhere = {});

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
  std::vector<std::string> dirs() const override { return {dir_}; }

  // The pieces the hybrid manager combines with a V1Manager.
  // `program_devices`: attach the device program even when the list is empty (at create).
  Status set(const oci::Resources& resources, bool program_devices);
  Status collect_stats(Stats& stats);
  // SIGKILL through cgroup.kill (5.14+); false when the kernel has no cgroup.kill.
  Result<bool> try_kill();
  const std::string& dir() const { return dir_; }

 private:
  // The controllers enabled for the container's cgroup (its cgroup.controllers).
  std::vector<std::string> available() const;
  Status require(const std::vector<std::string>& available, std::string_view controller,
                 std::string_view resource) const;
  Status set_controllers(const oci::Resources& resources,
                         const std::vector<std::string>& available);

  std::string mount_;
  std::string path_;
  std::string dir_;
  std::set<std::string> elsewhere_;
};

}  // namespace berth::cgroups
