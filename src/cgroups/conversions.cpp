#include "cgroups/conversions.h"

#include <cmath>

namespace berth::cgroups {

uint64_t cpu_shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  double l = std::log2(static_cast<double>(shares));
  double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return static_cast<uint64_t>(std::ceil(std::pow(10.0, exponent)));
}

uint64_t cpu_shares_to_weight_linear(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares < 2) shares = 2;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  if (weight < 10) weight = 10;
  return 1 + (weight - 10) * 9999 / 990;
}

Result<int64_t> memory_swap_to_v2(int64_t swap, int64_t limit) {
  // v1 semantics: unlimited memory with swap unset means unlimited memory+swap.
  if (limit == -1 && swap == 0) return -1;
  if (swap == -1 || swap == 0) return swap;
  if (limit == 0 || limit == -1)
    return Error(ErrorCode::kInvalidArgument, "memory.swap: a swap limit needs a memory limit");
  if (limit < 0)
    return make_error(ErrorCode::kInvalidArgument, "memory.limit: invalid value {}", limit);
  if (swap < limit) {
    return make_error(ErrorCode::kInvalidArgument,
                      "memory.swap ({}) must be >= memory.limit ({}): it is memory+swap", swap,
                      limit);
  }
  return swap - limit;
}

std::string v2_limit_string(int64_t value) {
  return value == -1 ? std::string("max") : std::to_string(value);
}

}  // namespace berth::cgroups
