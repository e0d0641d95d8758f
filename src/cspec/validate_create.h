// Validation of a create request (POST /containers/create) with dockerd's messages. Every error
// is kInvalidArgument, which the API answers with 400.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/create_request.h"
#include "cspec/host_info.h"

namespace berth::cspec {

// Everything dockerd checks before it creates a container, in its order:
//  1. the request decoder: network mode conflicts ("conflicting options: hostname and the network
//     mode", ...), isolation, QoS, realtime CPU;
//  2. Config: WorkingDir absolute, StopSignal, Env names, Healthcheck durations;
//  3. HostConfig: AutoRemove with a restart policy, Mounts ("invalid mount config for type
//     \"bind\": bind source path does not exist: /x"), ExtraHosts, PortBindings, RestartPolicy,
//     CapAdd/CapDrop, Isolation, Annotations;
//  4. against the host: resources (check_resources), IPC/PID/UTS/cgroupns modes, ShmSize,
//     OomScoreAdj, HostConfig.Tmpfs destinations;
//  5. NetworkingConfig endpoint addresses;
//  6. SecurityOpt, Binds (and duplicate mount points);
//  7. what the docker CLI checks before sending, for other clients: Devices, DeviceCgroupRules,
//     Ulimits, tmpfs options, Dns addresses.
// Returns dockerd's warnings (settings the host cannot honour, published ports with host
// networking) for the create response.
Result<std::vector<std::string>> validate_create_request(const CreateRequest& request,
                                                         const HostInfo& host);
// Without a NetworkingConfig.
Status validate_create_request(const Json& config, const Json& host_config, const HostInfo& host);

// The parts, for callers that check one object (docker update checks resources alone).
Status validate_container_config(const Json& config);
Status validate_host_config(const Json& host_config, const HostInfo& host);
Status validate_network_mode(const Json& config, const Json& host_config);
Status validate_restart_policy(const Json& host_config);
// dockerd's verifyPlatformContainerSettings without the resources: IPC/PID/UTS/cgroupns modes,
// ShmSize, OomScoreAdj, Tmpfs destinations; may add warnings.
Status validate_platform_settings(const Json& host_config, const HostInfo& host,
                                  std::vector<std::string>* warnings);

}  // namespace berth::cspec
