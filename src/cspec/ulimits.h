// HostConfig.Ulimits ([{"Name":"nofile","Soft":1024,"Hard":2048}]) as process.rlimits.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// The names go-units knows: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile,
// nproc, rss, rtprio, rttime, sigpending, stack.
bool is_ulimit_name(std::string_view name);

// Checks HostConfig.Ulimits as the docker CLI's --ulimit parser would: "invalid ulimit type: foo",
// "ulimit soft limit must be less than or equal to hard limit: 2048 > 1024" (-1 is unlimited).
Status validate_ulimits(const Json& host_config);

// The rlimits: the container's, then the daemon's default ulimits it does not override (by name,
// sorted). No ulimits at all means none: the container inherits the engine's limits, as in
// Docker. -1 becomes RLIM_INFINITY.
Result<std::vector<oci::Rlimit>> container_rlimits(const Json& host_config,
                                                   const DaemonDefaults& daemon);

}  // namespace berth::cspec
