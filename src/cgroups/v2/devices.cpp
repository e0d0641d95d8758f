// cgroup v2 devices: the rule list becomes an eBPF program on the container's directory.
#include "cgroups/device_bpf.h"
#include "cgroups/device_rules.h"
#include "cgroups/v2/controllers.h"

namespace berth::cgroups::v2 {

Status set_devices(const std::string& dir, const std::vector<oci::DeviceCgroupRule>& rules) {
  DevicePolicy policy = TRY(compile_device_rules(rules));
  return attach_device_program(dir, device_policy_program(policy));
}

}  // namespace berth::cgroups::v2
