// A container's cgroup statistics, shaped after runc's so `runc events --stats` can be matched.
// Times are nanoseconds, sizes bytes. A limit of UINT64_MAX means "no limit".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"

namespace berth::cgroups {

struct CpuUsage {
  uint64_t total = 0;
  std::vector<uint64_t> percpu;
  std::vector<uint64_t> percpu_kernel;
  std::vector<uint64_t> percpu_user;
  uint64_t kernel = 0;
  uint64_t user = 0;
};

struct CpuThrottling {
  uint64_t periods = 0;
  uint64_t throttled_periods = 0;
  uint64_t throttled_time = 0;
};

struct CpuStats {
  CpuUsage usage;
  CpuThrottling throttling;
};

struct MemoryEntry {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;  // peak usage
  uint64_t failcnt = 0;
};

struct MemoryStats {
  uint64_t cache = 0;
  MemoryEntry usage;
  MemoryEntry swap;  // memory+swap, as cgroup v1 reports it (v2 values are converted)
  MemoryEntry kernel;
  MemoryEntry kernel_tcp;
  std::map<std::string, uint64_t> raw;  // memory.stat as it is
};

struct PidsStats {
  uint64_t current = 0;
  uint64_t limit = 0;  // 0: unlimited
};

struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total"
  uint64_t value = 0;
};

struct BlkioStats {
  std::vector<BlkioEntry> io_service_bytes_recursive;
  std::vector<BlkioEntry> io_serviced_recursive;
  std::vector<BlkioEntry> io_queued_recursive;
  std::vector<BlkioEntry> io_service_time_recursive;
  std::vector<BlkioEntry> io_wait_time_recursive;
  std::vector<BlkioEntry> io_merged_recursive;
  std::vector<BlkioEntry> io_time_recursive;
  std::vector<BlkioEntry> sectors_recursive;
};

struct HugetlbStats {
  uint64_t usage = 0;
  uint64_t max = 0;  // peak usage (v1 only)
  uint64_t failcnt = 0;
};

struct Stats {
  CpuStats cpu;
  MemoryStats memory;
  PidsStats pids;
  BlkioStats blkio;
  std::map<std::string, HugetlbStats> hugetlb;  // page size ("2MB") -> stats
};

// The "data" object of `runc events --stats` (runc's types.Stats): camel/snake-case keys and
// omitted zero fields exactly where runc's Go struct tags omit them.
Json stats_to_runc_json(const Stats& stats);

}  // namespace berth::cgroups
