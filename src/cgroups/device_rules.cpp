#include "cgroups/device_rules.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace berth::cgroups {

namespace {

Result<std::optional<uint32_t>> device_number(std::optional<int64_t> value, const char* what) {
  // -1 is how some tools spell "any" (runc's configs use it internally).
  if (!value || *value == -1) return std::optional<uint32_t>();
  // Device numbers are 12-bit majors and 20-bit minors; anything beyond int32 cannot match and
  // would not survive the eBPF program's sign-extended immediates.
  if (*value < 0 || *value > std::numeric_limits<int32_t>::max())
    return make_error(ErrorCode::kInvalidArgument, "devices: invalid {} {}", what, *value);
  return std::optional<uint32_t>(static_cast<uint32_t>(*value));
}

Result<uint8_t> access_bits(const std::string& access) {
  if (access.empty()) return kDeviceAllAccess;
  uint8_t bits = 0;
  for (char c : access) {
    switch (c) {
      case 'r': bits |= kDeviceRead; break;
      case 'w': bits |= kDeviceWrite; break;
      case 'm': bits |= kDeviceMknod; break;
      default:
        return make_error(ErrorCode::kInvalidArgument, "devices: invalid access \"{}\"", access);
    }
  }
  return bits;
}

std::string access_string(uint8_t bits) {
  std::string out;
  if (bits & kDeviceRead) out += 'r';
  if (bits & kDeviceWrite) out += 'w';
  if (bits & kDeviceMknod) out += 'm';
  return out;
}

bool same_device(const DeviceException& ex, const DeviceRule& rule) {
  return ex.type == rule.type && ex.major == rule.major && ex.minor == rule.minor;
}

// The kernel's dev_exception_add: an entry for the same device gains the access bits.
void add_exception(DevicePolicy& policy, const DeviceRule& rule) {
  for (auto& ex : policy.exceptions) {
    if (same_device(ex, rule)) {
      ex.access |= rule.access;
      return;
    }
  }
  policy.exceptions.push_back({rule.type, rule.major, rule.minor, rule.access});
}

// The kernel's dev_exception_rm: entries for the same device lose the bits; empty ones go.
void remove_exception(DevicePolicy& policy, const DeviceRule& rule) {
  for (auto& ex : policy.exceptions) {
    if (same_device(ex, rule)) ex.access &= static_cast<uint8_t>(~rule.access);
  }
  std::erase_if(policy.exceptions, [](const DeviceException& ex) { return ex.access == 0; });
}

}  // namespace

Result<DeviceRule> normalize_device_rule(const oci::DeviceCgroupRule& rule) {
  DeviceRule out;
  out.allow = rule.allow;
  if (rule.type.empty() || rule.type == "a") {
    out.type = 'a';
  } else if (rule.type == "c" || rule.type == "b") {
    out.type = rule.type[0];
  } else {
    return make_error(ErrorCode::kInvalidArgument, "devices: invalid type \"{}\"", rule.type);
  }
  out.major = TRY(device_number(rule.major, "major"));
  out.minor = TRY(device_number(rule.minor, "minor"));
  out.access = TRY(access_bits(rule.access));
  return out;
}

Result<DevicePolicy> compile_device_rules(const std::vector<oci::DeviceCgroupRule>& rules) {
  DevicePolicy policy;  // "deny a": nothing allowed, no exceptions
  for (const auto& oci_rule : rules) {
    DeviceRule rule = TRY(normalize_device_rule(oci_rule));
    if (rule.type == 'a') {
      // As in the kernel, "a" resets everything whatever its numbers and access say.
      policy = DevicePolicy{rule.allow, {}};
    } else if (rule.allow == policy.default_allow) {
      remove_exception(policy, rule);
    } else {
      add_exception(policy, rule);
    }
  }
  return policy;
}

std::string device_rule_line(const DeviceRule& rule) {
  auto number = [](const std::optional<uint32_t>& n) {
    return n ? std::to_string(*n) : std::string("*");
  };
  if (rule.type == 'a') return "a *:* rwm";
  return fmt::format("{} {}:{} {}", rule.type, number(rule.major), number(rule.minor),
                     access_string(rule.access));
}

}  // namespace berth::cgroups
