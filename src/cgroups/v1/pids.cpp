// cgroup v1 pids: the task limit.
#include <limits>

#include "cgroups/cgroup_file.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

Status set_pids(const std::string& dir, const oci::PidsResources& pids) {
  return write_cgroup_file(dir, "pids.max", pids.limit > 0 ? std::to_string(pids.limit) : "max");
}

Status stat_pids(const std::string& dir, Stats& stats) {
  stats.pids.current = TRY(read_cgroup_uint(dir, "pids.current"));
  uint64_t limit = TRY(read_cgroup_uint(dir, "pids.max"));
  stats.pids.limit = limit == std::numeric_limits<uint64_t>::max() ? 0 : limit;
  return {};
}

}  // namespace berth::cgroups::v1
