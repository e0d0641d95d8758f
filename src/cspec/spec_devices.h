// linux.devices and the device cgroup list (dockerd's WithDevices).
#pragma once

#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cspec/host_info.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

struct ContainerDevices {
  std::vector<oci::Device> devices;
  std::vector<oci::DeviceCgroupRule> rules;
};

// Unprivileged: Docker's default cgroup list, then each HostConfig.Devices entry (its nodes and
// an allow rule with its permissions), then DeviceCgroupRules. Privileged: every host device
// (host_devices(host.dev_dir)) plus Devices mapped to another path, and one rule allowing all.
Result<ContainerDevices> container_devices(const Json& host_config, const HostInfo& host);

}  // namespace berth::cspec
