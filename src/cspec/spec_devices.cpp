#include "cspec/spec_devices.h"

#include "cspec/devices.h"
#include "cspec/docker_json.h"

namespace berth::cspec {

Result<ContainerDevices> container_devices(const Json& host_config, const HostInfo& host) {
  ContainerDevices out;
  auto mappings = TRY(read_device_mappings(host_config));
  if (TRY(get_bool(host_config, "Privileged", "HostConfig"))) {
    out.devices = TRY(host_devices(host.dev_dir));
    for (const DeviceMapping& mapping : mappings) {
      // The host's node is already there under its own name; custom permissions do not apply.
      if (mapping.path_on_host == mapping.path_in_container) continue;
      DeviceSet set =
          TRY(devices_from_path(mapping.path_on_host, mapping.path_in_container, "rwm"));
      out.devices.insert(out.devices.end(), set.devices.begin(), set.devices.end());
    }
    oci::DeviceCgroupRule allow_all;
    allow_all.allow = true;
    allow_all.access = "rwm";
    out.rules = {allow_all};
    return out;
  }
  out.rules = docker_default_device_rules();
  for (const DeviceMapping& mapping : mappings) {
    TRY(validate_device_mapping(mapping));
    DeviceSet set = TRY(devices_from_path(mapping.path_on_host, mapping.path_in_container,
                                          mapping.cgroup_permissions));
    out.devices.insert(out.devices.end(), set.devices.begin(), set.devices.end());
    out.rules.insert(out.rules.end(), set.rules.begin(), set.rules.end());
  }
  for (const std::string& rule : TRY(get_strings(host_config, "DeviceCgroupRules", "HostConfig"))) {
    out.rules.push_back(TRY(parse_device_cgroup_rule(rule)));
  }
  return out;
}

}  // namespace berth::cspec
