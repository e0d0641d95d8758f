// Devices: HostConfig.Devices (--device), DeviceCgroupRules (--device-cgroup-rule), the host's
// devices for --privileged, and Docker's default device cgroup list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// One HostConfig.Devices entry.
struct DeviceMapping {
  std::string path_on_host;
  std::string path_in_container;   // empty: the host path
  std::string cgroup_permissions;  // empty: "rwm"
};

Result<std::vector<DeviceMapping>> read_device_mappings(const Json& host_config);
// The docker CLI's --device checks, applied at create: absolute paths ("/x is not an absolute
// path"), permissions of r, w and m each at most once ("bad mode specified: rwx").
Status validate_device_mapping(const DeviceMapping& mapping);

struct DeviceSet {
  std::vector<oci::Device> devices;          // linux.devices
  std::vector<oci::DeviceCgroupRule> rules;  // allow rules for them
};

// dockerd's DevicesFromPath: stats the host path (following a symlink) for its type, numbers,
// mode and owner; a directory adds every device node beneath it, renamed under the container
// path. Error: `error gathering device information while adding custom device "/dev/x": no such
// file or directory`.
Result<DeviceSet> devices_from_path(const std::string& path_on_host,
                                    const std::string& path_in_container,
                                    const std::string& permissions);

// Every device node under `dev_dir` (normally /dev) for --privileged, as containerd's
// HostDevices lists them: pts, shm, fd, mqueue and .lxc/.lxd-mounts/.udev are skipped, and so are
// console and FIFOs.
Result<std::vector<oci::Device>> host_devices(const std::string& dev_dir);

// "c 1:3 mr", "a *:* rwm": dockerd's regular expression ^([acb]) ([0-9]+|\*):([0-9]+|\*)
// ([rwm]{1,3})$. Error: "invalid device cgroup rule format: '<rule>'".
Result<oci::DeviceCgroupRule> parse_device_cgroup_rule(std::string_view rule);

// Docker's default list: deny everything, then allow /dev/zero, null, urandom, random, tty and
// console, and deny /dev/fuse (10:229) explicitly. The runtime appends its own defaults (mknod of
// any node, the pty devices) after these.
std::vector<oci::DeviceCgroupRule> docker_default_device_rules();

}  // namespace berth::cspec
