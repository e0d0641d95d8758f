#include "cgroups/resource_sets.h"

#include <fmt/format.h>

#include "base/log.h"

namespace berth::cgroups {

namespace {
template <typename T>
bool nonzero(const std::optional<T>& value) {
  return value.has_value() && *value != 0;
}
}  // namespace

bool memory_is_set(const oci::MemoryResources& m) {
  return nonzero(m.limit) || nonzero(m.reservation) || nonzero(m.swap) ||
         m.swappiness.has_value() || m.disable_oom_killer.has_value() ||
         m.use_hierarchy.has_value();
}

bool cpu_is_set(const oci::CpuResources& c) {
  return nonzero(c.shares) || nonzero(c.quota) || nonzero(c.period) || c.burst.has_value() ||
         c.idle.has_value() || cpu_realtime_is_set(c);
}

bool cpuset_is_set(const oci::CpuResources& c) {
  return !c.cpus.empty() || !c.mems.empty();
}

bool cpu_realtime_is_set(const oci::CpuResources& c) {
  return nonzero(c.realtime_runtime) || nonzero(c.realtime_period);
}

bool block_io_is_set(const oci::BlockIoResources& b) {
  return nonzero(b.weight) || nonzero(b.leaf_weight) || !b.weight_device.empty() ||
         !b.throttle_read_bps_device.empty() || !b.throttle_write_bps_device.empty() ||
         !b.throttle_read_iops_device.empty() || !b.throttle_write_iops_device.empty();
}

void warn_ignored_memory_fields(const oci::MemoryResources& m) {
  if (nonzero(m.kernel)) log::warn("memory.kernel is ignored: kernel memory limits are obsolete");
  if (nonzero(m.kernel_tcp))
    log::warn("memory.kernelTCP is ignored: kernel memory limits are obsolete");
}

std::string rdma_limit_line(const std::string& device, const oci::RdmaLimit& limit) {
  // Only the limits given: naming one as "max" would lift a limit set earlier.
  std::string line = device;
  if (limit.hca_handles) line += fmt::format(" hca_handle={}", *limit.hca_handles);
  if (limit.hca_objects) line += fmt::format(" hca_object={}", *limit.hca_objects);
  return line;
}

}  // namespace berth::cgroups
