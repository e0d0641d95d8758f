// cgroup v2 memory: memory.max, memory.swap.max (converted from OCI's memory+swap), memory.low.
#include <cerrno>
#include <limits>

#include "base/log.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/conversions.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

namespace {

constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

// checkBeforeUpdate: v1's kernel refuses a limit under the current usage, v2's OOM-kills
// instead; the spec lets the runtime refuse up front to keep v1's behaviour.
Status check_usage(const std::string& dir, int64_t limit, int64_t swap) {
  if (limit <= 0) return {};
  auto usage = read_cgroup_uint(dir, "memory.current");
  if (!usage.ok()) return {};  // best effort: nothing to compare against
  if (swap > 0 && static_cast<uint64_t>(swap) <= *usage) {
    return make_error(ErrorCode::kFailedPrecondition, "rejecting memory+swap limit {} <= usage {}",
                      swap, *usage);
  }
  if (static_cast<uint64_t>(limit) <= *usage) {
    return make_error(ErrorCode::kFailedPrecondition, "rejecting memory limit {} <= usage {}",
                      limit, *usage);
  }
  return {};
}

// The memory.swap.max value, or "" to leave it alone.
Result<std::string> swap_max_value(const std::string& dir, int64_t limit, int64_t swap) {
  int64_t limit_for_swap = limit;
  if (limit == 0 && swap > 0) {
    // `runc update --memory-swap` alone: measure against the limit already in force.
    auto current = read_cgroup_uint(dir, "memory.max");
    if (current.ok() && *current != kUnlimited) limit_for_swap = static_cast<int64_t>(*current);
  }
  int64_t value = TRY(memory_swap_to_v2(swap, limit_for_swap));
  if (value == -1) return std::string("max");
  if (value > 0) return std::to_string(value);
  // swap == limit: memory+swap equal to memory means no swap at all.
  return swap > 0 ? std::string("0") : std::string();
}

}  // namespace

Status set_memory(const std::string& dir, const oci::MemoryResources& m) {
  int64_t limit = m.limit.value_or(0);
  int64_t swap = m.swap.value_or(0);
  if (m.check_before_update.value_or(false)) TRY(check_usage(dir, limit, swap));
  std::string swap_max = TRY(swap_max_value(dir, limit, swap));
  if (!swap_max.empty()) {
    auto status = write_cgroup_file(dir, "memory.swap.max", swap_max);
    // Without swap accounting there is no file; "no limit" and "no swap" then hold anyway.
    bool harmless = !status.ok() && status.error().sys_errno() == ENOENT &&
                    (swap_max == "max" || swap_max == "0");
    if (!harmless) TRY(std::move(status));
  }
  if (limit != 0) TRY(write_cgroup_file(dir, "memory.max", v2_limit_string(limit)));
  if (m.reservation.value_or(0) != 0)
    TRY(write_cgroup_file(dir, "memory.low", v2_limit_string(*m.reservation)));
  if (m.swappiness && *m.swappiness != kUnlimited)
    log::warn("memory.swappiness is not supported on cgroup v2; ignored");
  if (m.disable_oom_killer.value_or(false))
    log::warn("memory.disableOOMKiller is not supported on cgroup v2; ignored");
  return {};
}

Status stat_memory(const std::string& dir, Stats& stats) {
  auto raw = TRY(read_cgroup_keyed(dir, "memory.stat"));
  stats.memory.cache = raw.contains("file") ? raw["file"] : 0;
  stats.memory.raw = std::move(raw);
  MemoryEntry& usage = stats.memory.usage;
  usage.usage = TRY(read_cgroup_uint(dir, "memory.current"));
  usage.limit = TRY(read_cgroup_uint(dir, "memory.max"));
  usage.max = read_cgroup_uint(dir, "memory.peak").value_or(0);  // 5.19+
  usage.failcnt = read_cgroup_key(dir, "memory.events", "max").value_or(0);
  // v1 reported memory+swap; keep that meaning so consumers read both versions alike.
  if (cgroup_file_exists(dir, "memory.swap.current")) {
    MemoryEntry& swap = stats.memory.swap;
    uint64_t swap_limit = TRY(read_cgroup_uint(dir, "memory.swap.max"));
    swap.usage = TRY(read_cgroup_uint(dir, "memory.swap.current")) + usage.usage;
    swap.limit = (swap_limit == kUnlimited || usage.limit == kUnlimited) ? kUnlimited
                                                                         : swap_limit + usage.limit;
    swap.failcnt = read_cgroup_key(dir, "memory.swap.events", "max").value_or(0);
  }
  return {};
}

Result<uint64_t> oom_kill_count(const std::string& dir) {
  return read_cgroup_key(dir, "memory.events", "oom_kill");
}

}  // namespace berth::cgroups::v2
