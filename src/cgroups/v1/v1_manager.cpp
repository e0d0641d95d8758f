#include "cgroups/v1/v1_manager.h"

#include <signal.h>

#include <set>

#include "base/file_util.h"
#include "base/log.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/resource_sets.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups {

V1Manager::V1Manager(std::map<std::string, std::string> mounts, std::string path)
    : mounts_(std::move(mounts)), path_(std::move(path)) {}

std::vector<std::string> V1Manager::dirs() const {
  std::set<std::string> out;
  for (const auto& [controller, mount] : mounts_) out.insert(path_join(mount, path_));
  return {out.begin(), out.end()};
}

Result<std::string> V1Manager::dir_for(std::string_view controller,
                                       std::string_view resource) const {
  auto it = mounts_.find(std::string(controller));
  if (it == mounts_.end()) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "{}: the cgroup v1 \"{}\" controller is not mounted", resource, controller);
  }
  return path_join(it->second, path_);
}

Status V1Manager::create() {
  std::set<std::string> done;
  for (const auto& [controller, mount] : mounts_) {
    if (!done.insert(mount).second) continue;  // a combined hierarchy ("cpu,cpuacct")
    auto levels = TRY_CTX(make_cgroup_dirs(mount, path_), "create cgroup");
    if (mounts_.contains("cpuset") && mounts_.at("cpuset") == mount)
      TRY_CTX(v1::init_cpuset(mount, levels), "create cgroup: cpuset");
  }
  return {};
}

Status V1Manager::set(const oci::Resources& r, bool reset_devices) {
  if (!r.unified.empty()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "unified resources need cgroup v2; this host has only cgroup v1");
  }
  TRY(set_cpu_and_memory(r));
  return set_io_and_others(r, reset_devices);
}

Status V1Manager::set_cpu_and_memory(const oci::Resources& r) {
  if (r.memory) {
    warn_ignored_memory_fields(*r.memory);
    if (memory_is_set(*r.memory)) {
      auto dir = TRY(dir_for("memory", "memory"));
      TRY_CTX(v1::set_memory(dir, *r.memory), "memory");
    }
  }
  if (r.cpu && cpu_is_set(*r.cpu)) {
    auto dir = TRY(dir_for("cpu", "cpu"));
    TRY_CTX(v1::set_cpu(dir, *r.cpu), "cpu");
  }
  if (r.cpu && cpuset_is_set(*r.cpu)) {
    auto dir = TRY(dir_for("cpuset", "cpu.cpus/mems"));
    TRY_CTX(v1::set_cpuset(dir, *r.cpu), "cpu.cpus/mems");
  }
  return {};
}

Status V1Manager::set_io_and_others(const oci::Resources& r, bool reset_devices) {
  if (r.pids) {
    auto dir = TRY(dir_for("pids", "pids"));
    TRY_CTX(v1::set_pids(dir, *r.pids), "pids");
  }
  if (r.block_io && block_io_is_set(*r.block_io)) {
    auto dir = TRY(dir_for("blkio", "blockIO"));
    TRY_CTX(v1::set_blkio(dir, *r.block_io), "blockIO");
  }
  if (!r.hugepage_limits.empty()) {
    auto dir = TRY(dir_for("hugetlb", "hugepageLimits"));
    TRY_CTX(v1::set_hugetlb(dir, r.hugepage_limits), "hugepageLimits");
  }
  if (r.network && r.network->class_id) {
    auto dir = TRY(dir_for("net_cls", "network.classID"));
    TRY_CTX(v1::set_net_cls(dir, *r.network->class_id), "network.classID");
  }
  if (r.network && !r.network->priorities.empty()) {
    auto dir = TRY(dir_for("net_prio", "network.priorities"));
    TRY_CTX(v1::set_net_prio(dir, r.network->priorities), "network.priorities");
  }
  if (!r.rdma.empty()) {
    auto dir = TRY(dir_for("rdma", "rdma"));
    TRY_CTX(v1::set_rdma(dir, r.rdma), "rdma");
  }
  // An empty list at create still means "deny everything"; without a devices hierarchy there is
  // nothing to program unless rules were asked for.
  if (!r.devices.empty() || (reset_devices && has("devices"))) {
    auto dir = TRY(dir_for("devices", "devices"));
    TRY_CTX(v1::set_devices(dir, r.devices), "devices");
  }
  return {};
}

Status V1Manager::add_process(pid_t pid) {
  for (const auto& dir : dirs()) TRY_CTX(add_pid(dir, pid), "add process to cgroup");
  return {};
}

Status V1Manager::freeze() {
  auto dir = TRY(dir_for("freezer", "freeze"));
  return v1::freeze(dir);
}

Status V1Manager::thaw() {
  auto dir = TRY(dir_for("freezer", "thaw"));
  return v1::thaw(dir);
}

Result<bool> V1Manager::is_frozen() {
  if (!has("freezer")) return false;
  return v1::is_frozen(TRY(dir_for("freezer", "freezer state")));
}

Result<std::vector<pid_t>> V1Manager::processes() {
  // Any hierarchy holds every process of the container; prefer the one freeze() acts on.
  for (const char* controller : {"freezer", "pids", "memory", "devices", "cpu"}) {
    if (has(controller)) return read_pids_recursive(TRY(dir_for(controller, "processes")));
  }
  auto all = dirs();
  if (all.empty()) return Error(ErrorCode::kFailedPrecondition, "no cgroup v1 hierarchy mounted");
  return read_pids_recursive(all.front());
}

Status V1Manager::signal_all(int sig) {
  bool frozen = false;
  if (has("freezer")) {
    // Frozen, nothing can fork a child that the signal would miss.
    auto status = freeze();
    if (status.ok()) {
      frozen = true;
    } else {
      log::warn("signal_all: freezing {} failed, signalling anyway: {}", path_,
                status.error().to_string());
    }
  }
  auto pids = processes();
  Status result = pids.ok() ? signal_pids(*pids, sig) : Status(std::move(pids).error());
  if (frozen) {
    auto status = thaw();
    if (result.ok() && !status.ok()) result = std::move(status);
  }
  return result;
}

Status V1Manager::collect_stats(Stats& stats) {
  using Collector = Status (*)(const std::string&, Stats&);
  static constexpr std::pair<const char*, Collector> kCollectors[] = {
      {"memory", v1::stat_memory}, {"cpu", v1::stat_cpu},     {"cpuacct", v1::stat_cpuacct},
      {"pids", v1::stat_pids},     {"blkio", v1::stat_blkio}, {"hugetlb", v1::stat_hugetlb},
  };
  for (const auto& [controller, collect] : kCollectors) {
    if (!has(controller)) continue;
    auto dir = TRY(dir_for(controller, "stats"));
    TRY_CTX(collect(dir, stats), fmt::format("{} stats", controller));
  }
  return {};
}

Result<Stats> V1Manager::stats() {
  Stats stats;
  TRY(collect_stats(stats));
  return stats;
}

Result<uint64_t> V1Manager::oom_kill_count() {
  return v1::oom_kill_count(TRY(dir_for("memory", "oom_kill_count")));
}

Status V1Manager::destroy() {
  Status result;
  for (const auto& dir : dirs()) {
    auto status = remove_cgroup_dir(dir);
    if (result.ok() && !status.ok()) result = std::move(status);  // still try the others
  }
  return result;
}

Result<UniqueFd> V1Manager::open_unified_dir() {
  return Error(ErrorCode::kFailedPrecondition,
               "clone3(CLONE_INTO_CGROUP) needs cgroup v2; this host has only cgroup v1");
}

}  // namespace berth::cgroups
