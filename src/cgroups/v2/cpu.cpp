// cgroup v2 cpu: cpu.weight (from OCI shares), cpu.max, cpu.max.burst, cpu.idle; usage stats.
#include <cerrno>

#include <fmt/format.h>

#include "cgroups/cgroup_file.h"
#include "cgroups/conversions.h"
#include "cgroups/resource_sets.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

constexpr uint64_t kNanosPerMicro = 1000;

bool failed_with(const Status& status, int err) {
  return !status.ok() && status.error().sys_errno() == err;
}

// "quota period", "max period", or the quota alone (the kernel keeps its period).
std::string cpu_max_value(const oci::CpuResources& cpu) {
  int64_t quota = cpu.quota.value_or(0);
  std::string value = quota > 0 ? std::to_string(quota) : "max";
  if (cpu.period.value_or(0) != 0) value += fmt::format(" {}", *cpu.period);
  return value;
}

}  // namespace

Status set_cpu(const std::string& dir, const oci::CpuResources& cpu) {
  if (cpu_realtime_is_set(cpu)) {
    return Error(ErrorCode::kFailedPrecondition,
                 "cpu.realtimeRuntime/realtimePeriod: realtime scheduling budgets need cgroup v1");
  }
  if (cpu.idle) TRY(write_cgroup_file(dir, "cpu.idle", std::to_string(*cpu.idle)));
  if (cpu.shares.value_or(0) != 0)
    TRY(write_cgroup_file(dir, "cpu.weight", std::to_string(cpu_shares_to_weight(*cpu.shares))));
  bool sets_max = cpu.quota.value_or(0) != 0 || cpu.period.value_or(0) != 0;
  bool retry_burst = false;
  if (cpu.burst) {
    // A burst above the old quota is refused until the new quota is in; retry after it.
    auto status = write_cgroup_file(dir, "cpu.max.burst", std::to_string(*cpu.burst));
    if (failed_with(status, EINVAL) && sets_max) {
      retry_burst = true;
    } else if (!failed_with(status, ENOENT)) {  // no burst before 5.14
      TRY(std::move(status));
    }
  }
  if (sets_max) {
    TRY(write_cgroup_file(dir, "cpu.max", cpu_max_value(cpu)));
    if (retry_burst) TRY(write_cgroup_file(dir, "cpu.max.burst", std::to_string(*cpu.burst)));
  }
  return {};
}

Status stat_cpu(const std::string& dir, Stats& stats) {
  auto values = TRY(read_cgroup_keyed(dir, "cpu.stat"));
  CpuStats& cpu = stats.cpu;
  cpu.usage.total = values["usage_usec"] * kNanosPerMicro;
  cpu.usage.user = values["user_usec"] * kNanosPerMicro;
  cpu.usage.kernel = values["system_usec"] * kNanosPerMicro;
  cpu.throttling.periods = values["nr_periods"];
  cpu.throttling.throttled_periods = values["nr_throttled"];
  cpu.throttling.throttled_time = values["throttled_usec"] * kNanosPerMicro;
  return {};
}

Status set_cpuset(const std::string& dir, const oci::CpuResources& cpu) {
  if (!cpu.cpus.empty()) TRY(write_cgroup_file(dir, "cpuset.cpus", cpu.cpus));
  if (!cpu.mems.empty()) TRY(write_cgroup_file(dir, "cpuset.mems", cpu.mems));
  return {};
}

}  // namespace berth::cgroups::v2
