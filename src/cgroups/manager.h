// One container's cgroup across every hierarchy of the host.
//
//   auto layout = TRY(cgroups::detect_layout());
//   auto path = TRY(cgroups::resolve_cgroup_path(spec.linux->cgroups_path, id));
//   auto cg = TRY(cgroups::make_manager(layout, path));
//   TRY(cg->create());
//   TRY(cg->apply(*spec.linux->resources));
//   TRY(cg->add_process(pid));
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "cgroups/layout.h"
#include "cgroups/stats.h"
#include "oci/runtime_spec.h"

namespace berth::cgroups {

class Manager {
 public:
  virtual ~Manager();

  // mkdir in every hierarchy (parents too). v1 cpuset: empty cpuset.cpus/mems are copied down
  // from the parent, or no process could join. v2: the root's and every ancestor's
  // cgroup.subtree_control enable the controllers they offer.
  virtual Status create() = 0;
  // Applies linux.resources at create. The device list is always programmed: an empty one
  // denies every device (as runc), so the caller must pass the default allowed devices.
  virtual Status apply(const oci::Resources& resources) = 0;
  // `runc update`: writes only what is set; devices only when the list is non-empty.
  virtual Status update(const oci::Resources& resources) = 0;
  // Moves `pid` into the container's cgroup in every hierarchy.
  virtual Status add_process(pid_t pid) = 0;

  // Both wait until the kernel reports the cgroup FROZEN (v1) / frozen (v2).
  virtual Status freeze() = 0;
  virtual Status thaw() = 0;
  virtual Result<bool> is_frozen() = 0;

  // Every process in the cgroup and its descendants.
  virtual Result<std::vector<pid_t>> processes() = 0;
  // SIGKILL on cgroup v2 uses cgroup.kill when the kernel has it; otherwise the cgroup is
  // frozen so nothing forks while every pid is signalled, then thawed.
  virtual Status signal_all(int sig) = 0;

  virtual Result<Stats> stats() = 0;
  // How often the OOM killer struck inside this cgroup.
  virtual Result<uint64_t> oom_kill_count() = 0;

  // rmdir in every hierarchy (descendants first), retrying EBUSY while processes exit.
  // Succeeds when nothing is there. Ancestors created by create() are left for other containers.
  virtual Status destroy() = 0;

  // An O_DIRECTORY fd of the container's cgroup for clone3(CLONE_INTO_CGROUP). Pure v2 only:
  // elsewhere a process must also be written into v1 hierarchies.
  virtual Result<UniqueFd> open_unified_dir() = 0;

  // The path inside every hierarchy ("/berth/abc").
  virtual const std::string& path() const = 0;
  // The container's directory in every hierarchy: v1 ones (sorted), then the cgroup2 one.
  virtual std::vector<std::string> dirs() const = 0;
};

Result<std::unique_ptr<Manager>> make_manager(const Layout& layout, std::string path);

}  // namespace berth::cgroups
