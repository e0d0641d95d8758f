// HostConfig's resource settings as linux.resources (dockerd's WithResources): memory, CPU,
// pids and block I/O. Device rules are added by the devices step.
#pragma once

#include "base/json.h"
#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// Reads the adapted HostConfig (adapt_host_config has turned MemorySwap 0 into twice Memory and
// an absent OomKillDisable into false):
//  - memory: limit, reservation and swap when positive (-1 leaves swap unlimited), swappiness
//    when set (-1 means unset), disableOOMKiller when set; KernelMemory is ignored (cgroup v2
//    has no such limit and runc ignores it), KernelMemoryTCP passes through;
//  - cpu: shares, NanoCpus as quota over a 100ms period, CpuPeriod/CpuQuota, the realtime pair,
//    cpuset cpus and mems;
//  - pids: PidsLimit, 0 or negative meaning unlimited (-1); absent leaves pids unset;
//  - blockIO: always present; weight when non-zero; the device lists with each Path's numbers
//    from stat(2) ("stat /dev/sdz: no such file or directory").
Result<oci::Resources> container_resources(const Json& host_config);

}  // namespace berth::cspec
