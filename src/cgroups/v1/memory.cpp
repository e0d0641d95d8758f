// cgroup v1 memory: limit, memory+swap, soft limit, swappiness, OOM killer; usage statistics.
#include <cerrno>
#include <limits>

#include "base/log.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

namespace {

constexpr const char* kLimit = "memory.limit_in_bytes";
constexpr const char* kMemswLimit = "memory.memsw.limit_in_bytes";
constexpr uint64_t kSwappinessUnset = std::numeric_limits<uint64_t>::max();  // -1 in the JSON

Status write_limit(const std::string& dir, int64_t limit) {
  auto status = write_cgroup_file(dir, kLimit, std::to_string(limit));
  if (!status.ok() && status.error().sys_errno() == EBUSY) {
    // The kernel refuses a limit below what the cgroup already uses; say how much that is.
    auto usage = read_cgroup_uint(dir, "memory.usage_in_bytes");
    auto peak = read_cgroup_uint(dir, "memory.max_usage_in_bytes");
    return std::move(status.error().with_context(
        fmt::format("memory limit {} is below the current usage {} (peak {})", limit,
                    usage.value_or(0), peak.value_or(0))));
  }
  return status;
}

// memsw (memory+swap) must stay >= the memory limit after every single write, so the order
// depends on the direction of the change.
Status set_limit_and_swap(const std::string& dir, int64_t limit, int64_t swap) {
  bool has_memsw = cgroup_file_exists(dir, kMemswLimit);
  // Unlimited memory with no swap value means unlimited memory+swap too (as runc).
  if (limit == -1 && swap == 0 && has_memsw) swap = -1;
  if (swap != 0 && !has_memsw) {
    log::warn("memory.swap ignored: {} has no {} (swap accounting is off)", dir, kMemswLimit);
    swap = 0;
  }
  if (limit != 0 && swap != 0) {
    uint64_t current = TRY(read_cgroup_uint(dir, kLimit));
    bool raising = swap == -1 || current < static_cast<uint64_t>(swap);
    if (raising) {
      // The new memsw is >= the current limit, so it can go first; then the limit fits under it.
      TRY(write_cgroup_file(dir, kMemswLimit, std::to_string(swap)));
      return write_limit(dir, limit);
    }
    // Lowering: shrink the limit first so the new, smaller memsw stays >= it.
    TRY(write_limit(dir, limit));
    return write_cgroup_file(dir, kMemswLimit, std::to_string(swap));
  }
  if (limit != 0) TRY(write_limit(dir, limit));
  if (swap != 0) TRY(write_cgroup_file(dir, kMemswLimit, std::to_string(swap)));
  return {};
}

MemoryEntry read_entry(const std::string& dir, const std::string& prefix) {
  MemoryEntry entry;
  entry.usage = read_cgroup_uint(dir, prefix + ".usage_in_bytes").value_or(0);
  entry.max = read_cgroup_uint(dir, prefix + ".max_usage_in_bytes").value_or(0);
  entry.failcnt = read_cgroup_uint(dir, prefix + ".failcnt").value_or(0);
  entry.limit = read_cgroup_uint(dir, prefix + ".limit_in_bytes").value_or(0);
  return entry;
}

}  // namespace

Status set_memory(const std::string& dir, const oci::MemoryResources& memory) {
  TRY(set_limit_and_swap(dir, memory.limit.value_or(0), memory.swap.value_or(0)));
  if (memory.reservation.value_or(0) != 0) {
    TRY(write_cgroup_file(dir, "memory.soft_limit_in_bytes", std::to_string(*memory.reservation)));
  }
  if (memory.disable_oom_killer) {
    TRY(write_cgroup_file(dir, "memory.oom_control", *memory.disable_oom_killer ? "1" : "0"));
  }
  if (memory.swappiness && *memory.swappiness != kSwappinessUnset) {
    if (*memory.swappiness > 100) {
      return make_error(ErrorCode::kInvalidArgument,
                        "invalid memory.swappiness {} (valid range is 0-100)", *memory.swappiness);
    }
    TRY(write_cgroup_file(dir, "memory.swappiness", std::to_string(*memory.swappiness)));
  }
  if (memory.use_hierarchy) {
    TRY(write_cgroup_file(dir, "memory.use_hierarchy", *memory.use_hierarchy ? "1" : "0"));
  }
  return {};
}

Status stat_memory(const std::string& dir, Stats& stats) {
  auto raw = TRY(read_cgroup_keyed(dir, "memory.stat"));
  stats.memory.cache = raw.contains("cache") ? raw["cache"] : 0;
  stats.memory.raw = std::move(raw);
  stats.memory.usage = read_entry(dir, "memory");
  // Each of these exists only when the kernel accounts it (swapaccount=1, kmem).
  if (cgroup_file_exists(dir, "memory.memsw.usage_in_bytes"))
    stats.memory.swap = read_entry(dir, "memory.memsw");
  if (cgroup_file_exists(dir, "memory.kmem.usage_in_bytes"))
    stats.memory.kernel = read_entry(dir, "memory.kmem");
  if (cgroup_file_exists(dir, "memory.kmem.tcp.usage_in_bytes"))
    stats.memory.kernel_tcp = read_entry(dir, "memory.kmem.tcp");
  return {};
}

Result<uint64_t> oom_kill_count(const std::string& dir) {
  return read_cgroup_key(dir, "memory.oom_control", "oom_kill");
}

}  // namespace berth::cgroups::v1
