// The HostConfig dockerd stores at create, and `docker inspect` shows: defaults filled in,
// settings the host cannot honour dropped, every field present as Go's JSON has it.
#pragma once

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"

namespace berth::cspec {

// After validate_create_request has passed:
//  - resources the host lacks are dropped (the warnings came from validation);
//  - MemorySwap is twice Memory when only Memory is set; OomKillDisable false when absent;
//  - ShmSize, IpcMode ("private") and CgroupnsMode ("private" on cgroup v2, "host" otherwise and
//    for --privileged on v1) take the daemon's defaults; NetworkMode "" is "default";
//    RestartPolicy.Name "" is "no";
//  - MaskedPaths and ReadonlyPaths get Docker's lists unless privileged (empty lists with
//    SecurityOpt systempaths=unconfined);
//  - absent fields get Go's zero values (null for lists and maps), fields tagged omitempty in
//    dockerd stay out when empty, and unknown fields are dropped.
Result<Json> adapt_host_config(const Json& host_config, const HostInfo& host);

// The default lists behind MaskedPaths and ReadonlyPaths.
std::vector<std::string> docker_masked_paths();
std::vector<std::string> docker_readonly_paths();

}  // namespace berth::cspec
