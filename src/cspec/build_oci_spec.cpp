#include "cspec/build_oci_spec.h"

#include "base/file_util.h"
#include "cspec/adapt_host_config.h"
#include "cspec/capabilities_tweak.h"
#include "cspec/docker_json.h"
#include "cspec/process_spec.h"
#include "cspec/resources.h"
#include "cspec/security_opts.h"
#include "cspec/spec_devices.h"
#include "cspec/spec_mounts.h"
#include "cspec/spec_namespaces.h"
#include "cspec/spec_seccomp.h"
#include "cspec/sysctls.h"
#include "oci/runtime_spec_validate.h"
#include "security/capabilities.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";

// MaskedPaths or ReadonlyPaths: the stored list when there is one (adapt_host_config stores
// Docker's defaults, or [] for systempaths=unconfined), else the defaults unless privileged.
Result<std::vector<std::string>> system_paths(const Json& hc, std::string_view key,
                                              std::vector<std::string> defaults, bool privileged,
                                              const SecurityOptions& security) {
  if (field(hc, key) != nullptr) return get_strings(hc, key, kWhere);
  if (privileged || security.unconfined_system_paths) return std::vector<std::string>();
  return defaults;
}

}  // namespace

Result<std::string> default_cgroups_path(const StartInput& input) {
  std::string parent = TRY(get_string(input.host_config, "CgroupParent", kWhere));
  if (parent.empty()) parent = input.host.daemon.cgroup_parent;
  return clean_path(path_join(parent, input.id));
}

Result<oci::Spec> build_oci_spec(const StartInput& input) {
  const Json& hc = input.host_config;
  const Json& config = input.config;
  const HostInfo& host = input.host;
  bool privileged = TRY(get_bool(hc, "Privileged", kWhere));
  auto security_opts = TRY(get_strings(hc, "SecurityOpt", kWhere));
  SecurityOptions security = TRY(parse_security_opts(security_opts, host.daemon));
  auto cap_add = TRY(get_strings(hc, "CapAdd", kWhere));
  auto cap_drop = TRY(get_strings(hc, "CapDrop", kWhere));
  std::vector<std::string> caps =
      TRY(container_capabilities(cap_add, cap_drop, privileged, host.last_cap));
  if (privileged) {
    std::erase_if(caps, [&host](const std::string& name) {
      auto cap = security::capability_from_name(name);
      return cap && *cap < 64 && (host.bounding_set & (uint64_t{1} << *cap)) == 0;
    });
  }
  bool with_init = TRY(uses_init(input));

  oci::Spec spec;
  spec.oci_version = oci::kRuntimeSpecVersion;
  spec.root = oci::Root{input.rootfs, TRY(get_bool(hc, "ReadonlyRootfs", kWhere))};
  spec.process = TRY(container_process(input, caps, security, with_init));

  oci::Linux linux_config;
  linux_config.namespaces = TRY(container_namespaces(input));
  if (TRY(get_string(hc, "UTSMode", kWhere)) != "host") {
    spec.hostname = TRY(get_string(config, "Hostname", "Config"));
  }
  linux_config.cgroups_path =
      input.cgroups_path.empty() ? TRY(default_cgroups_path(input)) : input.cgroups_path;

  oci::Resources resources = TRY(container_resources(hc));
  ContainerDevices devices = TRY(container_devices(hc, host));
  resources.devices = std::move(devices.rules);
  linux_config.resources = std::move(resources);
  linux_config.devices = std::move(devices.devices);

  linux_config.sysctl = TRY(container_sysctls(config, hc, host));
  TRY(check_sysctls(linux_config.sysctl, linux_config.namespaces));
  linux_config.seccomp = TRY(container_seccomp(security, privileged, caps, host));
  linux_config.masked_paths =
      TRY(system_paths(hc, "MaskedPaths", docker_masked_paths(), privileged, security));
  linux_config.readonly_paths =
      TRY(system_paths(hc, "ReadonlyPaths", docker_readonly_paths(), privileged, security));

  SpecMounts mounts = TRY(container_mounts(input, with_init));
  spec.mounts = std::move(mounts.mounts);
  linux_config.rootfs_propagation = mounts.rootfs_propagation;
  spec.linux = std::move(linux_config);
  spec.annotations = TRY(get_string_map(hc, "Annotations", kWhere));

  TRY(oci::validate_spec(spec));
  return spec;
}

}  // namespace berth::cspec
