// cgroup v1 devices: the allow/deny list, written rule by rule.
#include "cgroups/cgroup_file.h"
#include "cgroups/device_rules.h"
#include "cgroups/v1/controllers.h"

namespace berth::cgroups::v1 {

Status set_devices(const std::string& dir, const std::vector<oci::DeviceCgroupRule>& rules) {
  // Check every rule before the first write, so a bad one leaves the old list in place.
  std::vector<DeviceRule> normalized;
  normalized.reserve(rules.size());
  for (const auto& rule : rules) normalized.push_back(TRY(normalize_device_rule(rule)));
  TRY(write_cgroup_file(dir, "devices.deny", "a"));
  for (const auto& rule : normalized) {
    TRY(write_cgroup_file(dir, rule.allow ? "devices.allow" : "devices.deny",
                          device_rule_line(rule)));
  }
  return {};
}

}  // namespace berth::cgroups::v1
