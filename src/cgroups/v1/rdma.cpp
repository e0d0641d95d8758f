// cgroup v1 rdma: HCA handle and object limits per RDMA device.
#include "cgroups/cgroup_file.h"
#include "cgroups/resource_sets.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

Status set_rdma(const std::string& dir, const std::map<std::string, oci::RdmaLimit>& limits) {
  for (const auto& [device, limit] : limits) {
    TRY(write_cgroup_file(dir, "rdma.max", rdma_limit_line(device, limit)));
  }
  return {};
}

}  // namespace berth::cgroups::v1
