// The hybrid manager: v1 hierarchies plus the controllers a cgroup2 mount holds beside them.
// Every process joins the cgroup2 directory too (systemd tracks services there, and on this
// project's machines hugetlb lives only there).
#pragma once

#include <memory>
#include <utility>

#include "cgroups/manager.h"
#include "cgroups/v1/v1_manager.h"
#include "cgroups/v2/v2_manager.h"

namespace berth::cgroups {

struct SplitResources {
  oci::Resources v1;
  oci::Resources v2;
};

// Each resource goes to the v1 hierarchy of its controller when one is mounted, else to cgroup2
// when it offers the controller, else to v1 (whose manager then names what is missing).
// Unified keys must name cgroup2 controllers: one bound to v1 is an error.
Result<SplitResources> split_hybrid_resources(const Layout& layout, const oci::Resources& r);

class HybridManager final : public Manager {
 public:
  HybridManager(const Layout& layout, const std::string& path);

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
  const std::string& path() const override { return v1_.path(); }
  std::vector<std::string> dirs() const override;

 private:
  Status set(const oci::Resources& resources, bool at_create);
  // The v1 freezer when mounted, else cgroup2's core freezer.
  Manager& freezer() { return v1_.has("freezer") ? static_cast<Manager&>(v1_) : v2_; }

  Layout layout_;
  V1Manager v1_;
  V2Manager v2_;
};

}  // namespace berth::cgroups
