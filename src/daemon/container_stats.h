// `docker stats`: one sample of a running container's resource usage in dockerd's stats JSON
// (the v1 cgroup shape on v1 hosts: memory_stats.stats is memory.stat as is, percpu_usage), from
// the container's cgroup through the runtime's state, the host's /proc/stat for
// system_cpu_usage, and /proc/<init>/net/dev for networks. The caller adds precpu_stats and
// preread from the sample before.
#pragma once

#include <cstdint>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container.h"
#include "runtime/runtime.h"

namespace berth::daemon {

struct StatsHost {
  int64_t mem_total = 0;  // a limit above it (none set) is reported as the host's memory
  int online_cpus = 1;
};

Result<Json> container_stats_sample(runtime::Runtime& runtime, const Container& c,
                                    const StatsHost& host);

// What dockerd answers for a container that is not running: zeroes, with name and id.
Json idle_stats(const Container& c);

// The zero cpu_stats dockerd puts in precpu_stats before there is a previous sample.
Json zero_cpu_stats();

}  // namespace berth::daemon
