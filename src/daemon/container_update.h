// `docker update` (POST /containers/{id}/update): new resource limits and restart policy,
// validated as at create, merged into the stored HostConfig with dockerd's rules
// (UpdateContainer: only non-zero fields change; the NanoCpus/CpuPeriod/CpuQuota conflicts;
// a memory limit above the current memory+swap needs MemorySwap too), applied to the running
// container's cgroup, persisted, and announced with an "update" event.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/container_service.h"

namespace berth::daemon {

// Returns the warnings (settings the host cannot honour were dropped).
Result<std::vector<std::string>> update_container(ContainerService& service, const std::string& ref,
                                                  const Json& body);

}  // namespace berth::daemon
