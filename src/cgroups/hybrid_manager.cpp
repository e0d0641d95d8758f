#include "cgroups/hybrid_manager.h"

#include <signal.h>

#include "base/log.h"
#include "base/strings.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/resource_sets.h"

namespace berth::cgroups {

namespace {

std::set<std::string> v1_controllers(const Layout& layout) {
  std::set<std::string> out;
  for (const auto& [controller, dir] : layout.v1) out.insert(controller);
  return out;
}

}  // namespace

Result<SplitResources> split_hybrid_resources(const Layout& layout, const oci::Resources& r) {
  auto in_v2 = [&](const char* v1_name, const char* v2_name) {
    return !layout.has_v1(v1_name) && layout.unified_has(v2_name);
  };
  SplitResources out;
  (in_v2("memory", "memory") ? out.v2 : out.v1).memory = r.memory;
  if (r.cpu) {
    oci::CpuResources cpu = *r.cpu;
    cpu.cpus.clear();
    cpu.mems.clear();
    oci::CpuResources cpuset;
    cpuset.cpus = r.cpu->cpus;
    cpuset.mems = r.cpu->mems;
    if (cpu_is_set(cpu)) (in_v2("cpu", "cpu") ? out.v2 : out.v1).cpu = cpu;
    if (cpuset_is_set(cpuset)) {
      auto& target = in_v2("cpuset", "cpuset") ? out.v2 : out.v1;
      if (target.cpu) {
        target.cpu->cpus = cpuset.cpus;
        target.cpu->mems = cpuset.mems;
      } else {
        target.cpu = cpuset;
      }
    }
  }
  (in_v2("pids", "pids") ? out.v2 : out.v1).pids = r.pids;
  (in_v2("blkio", "io") ? out.v2 : out.v1).block_io = r.block_io;
  (in_v2("hugetlb", "hugetlb") ? out.v2 : out.v1).hugepage_limits = r.hugepage_limits;
  (in_v2("rdma", "rdma") ? out.v2 : out.v1).rdma = r.rdma;
  out.v1.network = r.network;  // net_cls / net_prio exist only in v1
  (layout.has_v1("devices") ? out.v1 : out.v2).devices = r.devices;
  for (const auto& [name, value] : r.unified) {
    auto controller = std::string(split_once(name, '.').first);
    if (layout.has_v1(controller)) {
      return make_error(ErrorCode::kFailedPrecondition,
                        "unified.{}: the \"{}\" controller is bound to cgroup v1 on this host; "
                        "use the v1 resource instead",
                        name, controller);
    }
  }
  out.v2.unified = r.unified;
  return out;
}

HybridManager::HybridManager(const Layout& layout, const std::string& path)
    : layout_(layout), v1_(layout.v1, path), v2_(layout.unified, path, v1_controllers(layout)) {}

std::vector<std::string> HybridManager::dirs() const {
  auto out = v1_.dirs();
  out.push_back(v2_.dir());
  return out;
}

Status HybridManager::create() {
  TRY(v1_.create());
  return v2_.create();
}

Status HybridManager::set(const oci::Resources& resources, bool at_create) {
  auto split = TRY(split_hybrid_resources(layout_, resources));
  TRY(v1_.set(split.v1, at_create));
  // Without a v1 devices hierarchy the cgroup2 device program guards the devices instead.
  return v2_.set(split.v2, at_create && !layout_.has_v1("devices"));
}

Status HybridManager::add_process(pid_t pid) {
  TRY(v1_.add_process(pid));
  return v2_.add_process(pid);
}

Status HybridManager::freeze() {
  return freezer().freeze();
}
Status HybridManager::thaw() {
  return freezer().thaw();
}
Result<bool> HybridManager::is_frozen() {
  return freezer().is_frozen();
}
Result<std::vector<pid_t>> HybridManager::processes() {
  return freezer().processes();
}

Status HybridManager::signal_all(int sig) {
  // Every process of the container is in the cgroup2 directory too, so cgroup.kill reaches all.
  if (sig == SIGKILL && TRY(v2_.try_kill())) return {};
  return v1_.has("freezer") ? v1_.signal_all(sig) : v2_.signal_all(sig);
}

Result<Stats> HybridManager::stats() {
  Stats stats;
  TRY(v1_.collect_stats(stats));
  TRY(v2_.collect_stats(stats));
  return stats;
}

Result<uint64_t> HybridManager::oom_kill_count() {
  return v1_.has("memory") ? v1_.oom_kill_count() : v2_.oom_kill_count();
}

Status HybridManager::destroy() {
  auto v1_status = v1_.destroy();
  auto v2_status = v2_.destroy();
  return v1_status.ok() ? std::move(v2_status) : std::move(v1_status);
}

Result<UniqueFd> HybridManager::open_unified_dir() {
  return Error(ErrorCode::kFailedPrecondition,
               "clone3(CLONE_INTO_CGROUP) needs a pure cgroup v2 host; this one is hybrid and the "
               "process must join its v1 hierarchies too");
}

}  // namespace berth::cgroups
