#include "cgroups/v2/v2_manager.h"

#include <fcntl.h>
#include <signal.h>

#include <algorithm>

#include "base/file_util.h"
#include "base/log.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/cgroup_tree.h"
#include "cgroups/resource_sets.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups {

V2Manager::V2Manager(std::string mount, std::string path, std::set<std::string> elsewhere)
    : mount_(std::move(mount)),
      path_(std::move(path)),
      dir_(path_join(mount_, path_)),
      elsewhere_(std::move(elsewhere)) {}

Status V2Manager::create() {
  auto levels = TRY_CTX(make_cgroup_dirs(mount_, path_), "create cgroup");
  return v2::enable_controllers(mount_, levels);
}

std::vector<std::string> V2Manager::available() const {
  return read_cgroup_words(dir_, "cgroup.controllers").value_or({});
}

Status V2Manager::require(const std::vector<std::string>& available, std::string_view controller,
                          std::string_view resource) const {
  if (std::find(available.begin(), available.end(), controller) != available.end()) return {};
  return make_error(
      ErrorCode::kFailedPrecondition,
      "{}: the cgroup v2 \"{}\" controller is not available in {} (cgroup.controllers: "
      "\"{}\")",
      resource, controller, dir_, join(available, " "));
}

Status V2Manager::set(const oci::Resources& r, bool program_devices) {
  if (r.network && (r.network->class_id || !r.network->priorities.empty())) {
    return Error(ErrorCode::kFailedPrecondition,
                 "network: classID and priorities need the cgroup v1 net_cls/net_prio "
                 "controllers, which cgroup v2 does not have");
  }
  auto controllers = available();
  // Refuse a bad unified name before anything is written.
  TRY(v2::check_unified(dir_, r.unified, controllers));
  TRY(set_controllers(r, controllers));
  // The device program needs no controller: it attaches to any cgroup2 directory.
  if (program_devices || !r.devices.empty()) TRY_CTX(v2::set_devices(dir_, r.devices), "devices");
  if (!r.unified.empty()) TRY(v2::set_unified(dir_, r.unified, controllers));
  return {};
}

Status V2Manager::set_controllers(const oci::Resources& r, const std::vector<std::string>& ctl) {
  if (r.memory) {
    warn_ignored_memory_fields(*r.memory);
    if (memory_is_set(*r.memory)) {
      TRY(require(ctl, "memory", "memory"));
      TRY_CTX(v2::set_memory(dir_, *r.memory), "memory");
    }
  }
  if (r.cpu && cpu_is_set(*r.cpu)) {
    TRY(require(ctl, "cpu", "cpu"));
    TRY_CTX(v2::set_cpu(dir_, *r.cpu), "cpu");
  }
  if (r.cpu && cpuset_is_set(*r.cpu)) {
    TRY(require(ctl, "cpuset", "cpu.cpus/mems"));
    TRY_CTX(v2::set_cpuset(dir_, *r.cpu), "cpu.cpus/mems");
  }
  if (r.pids) {
    TRY(require(ctl, "pids", "pids"));
    TRY_CTX(v2::set_pids(dir_, *r.pids), "pids");
  }
  if (r.block_io && block_io_is_set(*r.block_io)) {
    TRY(require(ctl, "io", "blockIO"));
    TRY_CTX(v2::set_io(dir_, *r.block_io), "blockIO");
  }
  if (!r.hugepage_limits.empty()) {
    TRY(require(ctl, "hugetlb", "hugepageLimits"));
    TRY_CTX(v2::set_hugetlb(dir_, r.hugepage_limits), "hugepageLimits");
  }
  if (!r.rdma.empty()) {
    TRY(require(ctl, "rdma", "rdma"));
    TRY_CTX(v2::set_rdma(dir_, r.rdma), "rdma");
  }
  return {};
}

Status V2Manager::add_process(pid_t pid) {
  TRY_CTX(add_pid(dir_, pid), "add process to cgroup");
  return {};
}

Status V2Manager::freeze() {
  return v2::freeze(dir_);
}
Status V2Manager::thaw() {
  return v2::thaw(dir_);
}
Result<bool> V2Manager::is_frozen() {
  return v2::is_frozen(dir_);
}
Result<std::vector<pid_t>> V2Manager::processes() {
  return read_pids_recursive(dir_);
}

Result<bool> V2Manager::try_kill() {
  if (!cgroup_file_exists(dir_, "cgroup.kill")) return false;
  TRY(write_cgroup_file(dir_, "cgroup.kill", "1"));
  return true;
}

Status V2Manager::signal_all(int sig) {
  if (sig == SIGKILL && TRY(try_kill())) return {};
  // Frozen, nothing can fork a child that the signal would miss.
  auto frozen = freeze();
  if (!frozen.ok())
    log::warn("signal_all: freezing {} failed, signalling anyway: {}", dir_,
              frozen.error().to_string());
  auto pids = processes();
  Status result = pids.ok() ? signal_pids(*pids, sig) : Status(std::move(pids).error());
  if (frozen.ok()) {
    auto thawed = thaw();
    if (result.ok() && !thawed.ok()) result = std::move(thawed);
  }
  return result;
}

Status V2Manager::collect_stats(Stats& stats) {
  auto controllers = available();
  auto owned = [&](const char* controller) { return !elsewhere_.contains(controller); };
  auto enabled = [&](const char* controller) {
    return owned(controller) &&
           std::find(controllers.begin(), controllers.end(), controller) != controllers.end();
  };
  // cpu.stat's usage lines exist in every cgroup2 directory, with or without the cpu controller.
  if (owned("cpu") && owned("cpuacct")) TRY_CTX(v2::stat_cpu(dir_, stats), "cpu stats");
  if (enabled("memory")) TRY_CTX(v2::stat_memory(dir_, stats), "memory stats");
  if (enabled("pids")) TRY_CTX(v2::stat_pids(dir_, stats), "pids stats");
  if (enabled("io") && owned("blkio")) TRY_CTX(v2::stat_io(dir_, stats), "io stats");
  if (enabled("hugetlb")) TRY_CTX(v2::stat_hugetlb(dir_, stats), "hugetlb stats");
  return {};
}

Result<Stats> V2Manager::stats() {
  Stats stats;
  TRY(collect_stats(stats));
  return stats;
}

Result<uint64_t> V2Manager::oom_kill_count() {
  TRY(require(available(), "memory", "oom_kill_count"));
  return v2::oom_kill_count(dir_);
}

Status V2Manager::destroy() {
  return remove_cgroup_dir(dir_);
}

Result<UniqueFd> V2Manager::open_unified_dir() {
  UniqueFd fd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return errno_error("open " + dir_);
  return fd;
}

}  // namespace berth::cgroups
