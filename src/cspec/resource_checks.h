// dockerd's checks of HostConfig's resource settings against the host (verifyPlatformContainer-
// Resources and the realtime/QoS checks of the request decoder).
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"

namespace berth::cspec {

// Checks the resource fields of `host_config` and, like dockerd, drops (in place) the settings the
// host's cgroups cannot honour, appending a warning for each. Errors are dockerd's, e.g.
// "Minimum memory limit allowed is 6MB", "Conflicting options: Nano CPUs and CPU Period cannot
// both be set", "range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available".
// `update` is true for `docker update`, where MemorySwap may come without Memory.
Status check_resources(Json& host_config, const HostInfo& host, bool update,
                       std::vector<std::string>* warnings);

}  // namespace berth::cspec
