// Validation of the "linux" object: namespaces and id mappings, devices, paths, propagation,
// time offsets, personality, Intel RDT; sysctls, seccomp and resources have their own files.
#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "oci/runtime_spec_validate.h"
#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

Status validate_namespaces(const std::vector<Namespace>& namespaces) {
  std::set<NamespaceType> seen;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    const Namespace& ns = namespaces[i];
    std::string field = fmt::format("linux.namespaces[{}]", i);
    if (!seen.insert(ns.type).second) {
      return invalid_field(field + ".type", "duplicate namespace {:?}",
                           std::string_view(namespace_type_name(ns.type)));
    }
    if (!ns.path.empty()) TRY(check_absolute(field + ".path", ns.path));
  }
  return {};
}

// A new user namespace is useless without maps (the runtime writes them before the container
// runs), and maps without a user namespace would silently do nothing. One joined by path
// already has its maps: given maps are allowed there, for the runtime to check they match.
Status validate_user_namespace(const Spec& spec) {
  const Linux& linux_config = *spec.linux;
  TRY(check_id_mappings("linux.uidMappings", linux_config.uid_mappings));
  TRY(check_id_mappings("linux.gidMappings", linux_config.gid_mappings));
  switch (namespace_mode(spec, NamespaceType::kUser)) {
    case NamespaceMode::kInherit:
      if (!linux_config.uid_mappings.empty()) {
        return invalid_field("linux.uidMappings", "needs a user namespace in linux.namespaces");
      }
      if (!linux_config.gid_mappings.empty()) {
        return invalid_field("linux.gidMappings", "needs a user namespace in linux.namespaces");
      }
      break;
    case NamespaceMode::kNew:
      if (linux_config.uid_mappings.empty()) {
        return invalid_field("linux.uidMappings", "required by a new user namespace");
      }
      if (linux_config.gid_mappings.empty()) {
        return invalid_field("linux.gidMappings", "required by a new user namespace");
      }
      break;
    case NamespaceMode::kJoin: break;
  }
  return {};
}

Status validate_devices(const std::vector<Device>& devices) {
  for (size_t i = 0; i < devices.size(); ++i) {
    const Device& device = devices[i];
    std::string field = fmt::format("linux.devices[{}]", i);
    if (device.type != "c" && device.type != "b" && device.type != "u" && device.type != "p") {
      return invalid_field(field + ".type", "must be c, b, u or p, got {:?}", device.type);
    }
    TRY(check_absolute(field + ".path", device.path));
    if (device.major < 0) {
      return invalid_field(field + ".major", "must not be negative, got {}", device.major);
    }
    if (device.minor < 0) {
      return invalid_field(field + ".minor", "must not be negative, got {}", device.minor);
    }
  }
  return {};
}

Status validate_rootfs_propagation(const std::string& propagation) {
  constexpr std::array<std::string_view, 8> kModes = {
      "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable"};
  if (!propagation.empty() &&
      std::find(kModes.begin(), kModes.end(), propagation) == kModes.end()) {
    return invalid_field("linux.rootfsPropagation",
                         "must be shared, slave, private or unbindable (or their r* forms), "
                         "got {:?}",
                         propagation);
  }
  return {};
}

Status check_absolute_paths(std::string_view field, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    TRY(check_absolute(fmt::format("{}[{}]", field, i), paths[i]));
  }
  return {};
}

// Offsets can only be written into a time namespace before any process has entered it, so one
// joined by path cannot take them.
Status validate_time_offsets(const Spec& spec) {
  const auto& offsets = spec.linux->time_offsets;
  if (offsets.empty()) return {};
  if (namespace_mode(spec, NamespaceType::kTime) != NamespaceMode::kNew) {
    return invalid_field("linux.timeOffsets", "needs a new time namespace");
  }
  for (const auto& [clock, offset] : offsets) {
    std::string field = fmt::format("linux.timeOffsets.{}", clock);
    if (clock != "boottime" && clock != "monotonic") {
      return invalid_field(field, "unknown clock (want boottime or monotonic)");
    }
    if (offset.nanosecs >= 1'000'000'000) {
      return invalid_field(field + ".nanosecs", "must be below 1000000000, got {}",
                           offset.nanosecs);
    }
  }
  return {};
}

Status validate_personality(const Personality& personality) {
  if (personality.domain != "LINUX" && personality.domain != "LINUX32") {
    return invalid_field("linux.personality.domain", "must be LINUX or LINUX32, got {:?}",
                         personality.domain);
  }
  if (!personality.flags.empty()) {
    return invalid_field("linux.personality.flags", "no flags are supported, got {:?}",
                         personality.flags.front());
  }
  return {};
}

// closID names a directory under the resctrl mount: it must not climb out of it.
Status validate_intel_rdt(const IntelRdt& rdt) {
  if (!rdt.clos_id.empty() &&
      (rdt.clos_id.find('/') != std::string::npos || rdt.clos_id == "." || rdt.clos_id == "..")) {
    return invalid_field("linux.intelRdt.closID", "must be a plain directory name, got {:?}",
                         rdt.clos_id);
  }
  if (!rdt.mem_bw_schema.empty()) {
    if (rdt.mem_bw_schema.rfind("MB:", 0) != 0) {
      return invalid_field("linux.intelRdt.memBwSchema", "must start with \"MB:\", got {:?}",
                           rdt.mem_bw_schema);
    }
    if (rdt.mem_bw_schema.find('\n') != std::string::npos) {
      return invalid_field("linux.intelRdt.memBwSchema", "must not contain newlines");
    }
  }
  return {};
}

}  // namespace

Status validate_linux(const Spec& spec) {
  if (!spec.linux) return {};
  const Linux& linux_config = *spec.linux;
  TRY(validate_namespaces(linux_config.namespaces));
  TRY(validate_user_namespace(spec));
  TRY(validate_sysctls(spec));
  if (linux_config.resources) TRY(validate_resources(*linux_config.resources));
  TRY(validate_devices(linux_config.devices));
  if (linux_config.seccomp) TRY(validate_seccomp(*linux_config.seccomp));
  TRY(validate_rootfs_propagation(linux_config.rootfs_propagation));
  TRY(check_absolute_paths("linux.maskedPaths", linux_config.masked_paths));
  TRY(check_absolute_paths("linux.readonlyPaths", linux_config.readonly_paths));
  TRY(validate_time_offsets(spec));
  if (linux_config.personality) TRY(validate_personality(*linux_config.personality));
  if (linux_config.intel_rdt) TRY(validate_intel_rdt(*linux_config.intel_rdt));
  return {};
}

}  // namespace berth::oci
