// cgroup v1 cpu: shares, CFS quota/period/burst, SCHED_IDLE, realtime budget; throttling stats.
#include <cerrno>

#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

bool failed_with(const Status& status, int err) {
  return !status.ok() && status.error().sys_errno() == err;
}

Status set_shares(const std::string& dir, uint64_t shares) {
  TRY(write_cgroup_file(dir, "cpu.shares", std::to_string(shares)));
  // The kernel clamps to [2, 262144] silently; a clamped value is a configuration error.
  uint64_t actual = TRY(read_cgroup_uint(dir, "cpu.shares"));
  if (actual < shares)
    return make_error(ErrorCode::kInvalidArgument, "cpu.shares: the maximum allowed is {}", actual);
  if (actual > shares)
    return make_error(ErrorCode::kInvalidArgument, "cpu.shares: the minimum allowed is {}", actual);
  return {};
}

// Period, burst and quota constrain each other (quota/period against the parent's, burst <=
// quota), so a value the kernel rejects with EINVAL before the quota changes is retried after.
Status set_bandwidth(const std::string& dir, const oci::CpuResources& cpu) {
  int64_t quota = cpu.quota.value_or(0);
  bool retry_period = false;
  bool retry_burst = false;
  if (cpu.period.value_or(0) != 0) {
    auto status = write_cgroup_file(dir, "cpu.cfs_period_us", std::to_string(*cpu.period));
    if (failed_with(status, EINVAL) && quota != 0) {
      retry_period = true;
    } else {
      TRY(std::move(status));
    }
  }
  if (cpu.burst) {
    auto status = write_cgroup_file(dir, "cpu.cfs_burst_us", std::to_string(*cpu.burst));
    if (failed_with(status, EINVAL) && quota != 0) {
      retry_burst = true;
    } else if (!failed_with(status, ENOENT)) {  // kernels before 5.14 have no burst
      TRY(std::move(status));
    }
  }
  if (quota != 0) {
    TRY(write_cgroup_file(dir, "cpu.cfs_quota_us", std::to_string(quota)));
    if (retry_period) TRY(write_cgroup_file(dir, "cpu.cfs_period_us", std::to_string(*cpu.period)));
    if (retry_burst) TRY(write_cgroup_file(dir, "cpu.cfs_burst_us", std::to_string(*cpu.burst)));
  }
  return {};
}

// rt_period and rt_runtime have the same dependency as CFS period and quota.
Status set_realtime(const std::string& dir, const oci::CpuResources& cpu) {
  int64_t runtime = cpu.realtime_runtime.value_or(0);
  bool retry_period = false;
  if (cpu.realtime_period.value_or(0) != 0) {
    auto status = write_cgroup_file(dir, "cpu.rt_period_us", std::to_string(*cpu.realtime_period));
    if (failed_with(status, EINVAL) && runtime != 0) {
      retry_period = true;
    } else {
      TRY(std::move(status));
    }
  }
  if (runtime != 0) {
    TRY(write_cgroup_file(dir, "cpu.rt_runtime_us", std::to_string(runtime)));
    if (retry_period) {
      TRY(write_cgroup_file(dir, "cpu.rt_period_us", std::to_string(*cpu.realtime_period)));
    }
  }
  return {};
}

}  // namespace

Status set_cpu(const std::string& dir, const oci::CpuResources& cpu) {
  if (cpu.shares.value_or(0) != 0) TRY(set_shares(dir, *cpu.shares));
  TRY(set_bandwidth(dir, cpu));
  if (cpu.idle) TRY(write_cgroup_file(dir, "cpu.idle", std::to_string(*cpu.idle)));
  return set_realtime(dir, cpu);
}

Status stat_cpu(const std::string& dir, Stats& stats) {
  auto values = TRY(read_cgroup_keyed(dir, "cpu.stat"));
  stats.cpu.throttling.periods = values["nr_periods"];
  stats.cpu.throttling.throttled_periods = values["nr_throttled"];
  stats.cpu.throttling.throttled_time = values["throttled_time"];  // already nanoseconds
  return {};
}

}  // namespace berth::cgroups::v1
