// linux.resources.devices as the cgroup v1 device controller understands them.
//
// The v1 kernel keeps a default (allow all / deny all) plus a list of exceptions, and each write
// to devices.allow / devices.deny edits that state. compile_device_rules() replays the OCI list
// against the same state machine, so cgroup v2's eBPF program (device_bpf.h) grants exactly
// what the v1 files would.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::cgroups {

// Access bits, numbered as the kernel's BPF_DEVCG_ACC_* so the eBPF program can test them as is.
inline constexpr uint8_t kDeviceMknod = 1;
inline constexpr uint8_t kDeviceRead = 2;
inline constexpr uint8_t kDeviceWrite = 4;
inline constexpr uint8_t kDeviceAllAccess = kDeviceMknod | kDeviceRead | kDeviceWrite;

struct DeviceException {
  char type = 'c';                // 'c' or 'b'
  std::optional<uint32_t> major;  // nullopt: any
  std::optional<uint32_t> minor;
  uint8_t access = kDeviceAllAccess;

  bool operator==(const DeviceException&) const = default;
};

struct DevicePolicy {
  bool default_allow = false;
  // default deny: a request is allowed when one exception covers all its access bits.
  // default allow: a request is denied when one exception shares any access bit with it.
  std::vector<DeviceException> exceptions;

  bool operator==(const DevicePolicy&) const = default;
};

// A rule checked and normalised: type 'a', 'c' or 'b'; access bits non-empty.
struct DeviceRule {
  bool allow = false;
  char type = 'a';
  std::optional<uint32_t> major;
  std::optional<uint32_t> minor;
  uint8_t access = kDeviceAllAccess;
};

Result<DeviceRule> normalize_device_rule(const oci::DeviceCgroupRule& rule);

// The state after "deny a" and then every rule in order (v1 devices.deny/devices.allow writes).
Result<DevicePolicy> compile_device_rules(const std::vector<oci::DeviceCgroupRule>& rules);

// "c 1:3 rwm", "a *:* rwm": the line devices.allow / devices.deny take.
std::string device_rule_line(const DeviceRule& rule);

}  // namespace berth::cgroups
