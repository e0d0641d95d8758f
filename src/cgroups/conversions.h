// The cgroup v1 -> v2 value conversions the OCI spec leaves to runtimes, matching runc's.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace berth::cgroups {

// cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 ("unset"). The curve runc (via
// opencontainers/cgroups, 2025) and crun use: a quadratic in log2(shares) through (2, 1),
// (1024, 100) and (262144, 10000), so the default 1024 shares maps to the default weight 100.
uint64_t cpu_shares_to_weight(uint64_t shares);
// The linear mapping older runc releases used (1024 -> 39). Kept to explain old cgroups.
uint64_t cpu_shares_to_weight_linear(uint64_t shares);

// blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0.
uint64_t blkio_weight_to_io_weight(uint64_t weight);

// OCI memory.swap is memory+swap (v1's memsw); v2's memory.swap.max is swap alone.
// Returns the memory.swap.max value: -1 for "max", 0 for "leave unset"; errors as runc does.
Result<int64_t> memory_swap_to_v2(int64_t swap, int64_t limit);

// "max" for -1, the number otherwise (v2 limit files).
std::string v2_limit_string(int64_t value);

}  // namespace berth::cgroups
