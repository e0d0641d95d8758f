// Which parts of oci::Resources ask for a write, and warnings for the ones Berth ignores.
// runc treats 0 as "unset" for most numbers; so does Berth, so `runc update -r` JSON full of
// zeros changes nothing.
#pragma once

#include <map>
#include <string>

#include "oci/runtime_spec.h"

namespace berth::cgroups {

bool memory_is_set(const oci::MemoryResources& memory);
bool cpu_is_set(const oci::CpuResources& cpu);     // the cpu controller's part
bool cpuset_is_set(const oci::CpuResources& cpu);  // cpus / mems
bool cpu_realtime_is_set(const oci::CpuResources& cpu);
bool block_io_is_set(const oci::BlockIoResources& block_io);

// kernel / kernelTCP: the kernel dropped kmem limits (v1 in 5.16 for kmem, v2 never had them).
void warn_ignored_memory_fields(const oci::MemoryResources& memory);

// "mlx4_0 hca_handle=2 hca_object=2000": the rdma.max line for one device (only the limits set).
std::string rdma_limit_line(const std::string& device, const oci::RdmaLimit& limit);

}  // namespace berth::cgroups
