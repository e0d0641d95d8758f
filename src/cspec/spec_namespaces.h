// linux.namespaces from HostConfig's modes (dockerd's WithNamespaces).
#pragma once

#include <vector>

#include "base/result.h"
#include "cspec/start_input.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// Docker's defaults are new mount, network, uts, pid and ipc namespaces, in that order, then:
//  - network: joined for container:<x> (namespace_paths["network"]), none for host, the daemon's
//    prepared namespace (netns_path) or a new one otherwise; Config.NetworkDisabled leaves a new
//    one;
//  - ipc: joined for container:<x>, none for host, new for private/shareable/none;
//  - pid: joined for container:<x>, none for host;
//  - uts: none for host;
//  - cgroup: a new one when CgroupnsMode is private;
//  - user: none (user-namespace remapping is not supported).
// A container:<x> mode without its path is kFailedPrecondition ("failed to join PID namespace:
// no namespace path for container x").
Result<std::vector<oci::Namespace>> container_namespaces(const StartInput& input);

}  // namespace berth::cspec
