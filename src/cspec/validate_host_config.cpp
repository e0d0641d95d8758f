// The HostConfig half of create validation: dockerd's validateNetMode, validateHostConfig and
// verifyPlatformContainerSettings (resources aside).
#include "base/strings.h"
#include "cspec/capabilities_tweak.h"
#include "cspec/docker_json.h"
#include "cspec/modes.h"
#include "cspec/mount_request.h"
#include "cspec/net_checks.h"
#include "cspec/validate_create.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

bool non_empty(const Json& object, std::string_view key) {
  const Json* value = field(object, key);
  return value != nullptr && (value->is_array() || value->is_object()) && !value->empty();
}

Status validate_extra_hosts(const Json& hc) {
  for (const std::string& entry : TRY(get_strings(hc, "ExtraHosts", kWhere))) {
    bool found = false;
    auto [name, ip] = split_once(entry, ':', &found);
    if (!found || name.empty()) {
      return make_error(ErrorCode::kInvalidArgument, "bad format for add-host: {:?}", entry);
    }
    if (ip != "host-gateway" && ip_family(trim(ip)) == IpFamily::kNone) {
      return make_error(ErrorCode::kInvalidArgument, "invalid IP address in add-host: {:?}", ip);
    }
  }
  return {};
}

Status validate_capabilities(const Json& hc, const HostInfo& host) {
  auto adds = normalize_capabilities(TRY(get_strings(hc, "CapAdd", kWhere)), host.last_cap);
  if (!adds.ok()) return invalid("invalid CapAdd: " + adds.error().message());
  auto drops = normalize_capabilities(TRY(get_strings(hc, "CapDrop", kWhere)), host.last_cap);
  if (!drops.ok()) return invalid("invalid CapDrop: " + drops.error().message());
  return {};
}

Status validate_isolation(const Json& hc) {
  std::string isolation = to_lower(TRY(get_string(hc, "Isolation", kWhere)));
  if (!isolation.empty() && isolation != "default") {
    return make_error(ErrorCode::kInvalidArgument,
                      "Invalid isolation: {:?} - linux only supports 'default'",
                      TRY(get_string(hc, "Isolation", kWhere)));
  }
  return {};
}

Status validate_namespace_modes(const Json& hc, const HostInfo& host,
                                std::vector<std::string>* warnings) {
  std::string ipc = TRY(get_string(hc, "IpcMode", kWhere));
  if (!ipc_mode_valid(ipc)) return invalid(fmt::format("invalid IPC mode: {}", ipc));
  std::string pid = TRY(get_string(hc, "PidMode", kWhere));
  if (!pid_mode_valid(pid)) return invalid(fmt::format("invalid PID mode: {}", pid));
  if (TRY(get_int(hc, "ShmSize", kWhere)) < 0) return invalid("SHM size can not be less than 0");
  std::string uts = TRY(get_string(hc, "UTSMode", kWhere));
  if (!uts_mode_valid(uts)) return invalid(fmt::format("invalid UTS mode: {}", uts));
  int64_t oom_score_adj = TRY(get_int(hc, "OomScoreAdj", kWhere));
  if (oom_score_adj < -1000 || oom_score_adj > 1000) {
    return invalid(
        fmt::format("Invalid value {}, range for oom score adj is [-1000, 1000]", oom_score_adj));
  }
  std::string network = TRY(get_string(hc, "NetworkMode", kWhere));
  if (network_is_host(network) && non_empty(hc, "PortBindings")) {
    warnings->push_back("Published ports are discarded when using host network mode");
  }
  for (const auto& [destination, options] : TRY(get_string_map(hc, "Tmpfs", kWhere))) {
    TRY(validate_tmpfs_destination(destination));
  }
  std::string cgroupns = TRY(get_string(hc, "CgroupnsMode", kWhere));
  if (!cgroupns_mode_valid(cgroupns)) {
    return invalid(fmt::format("invalid cgroup namespace mode: {}", cgroupns));
  }
  if (cgroupns == "private" && !host.cgroup.cgroup_namespaces) {
    warnings->push_back(
        "Your kernel does not support cgroup namespaces.  Cgroup namespace setting discarded.");
  }
  return {};
}

}  // namespace

Status validate_network_mode(const Json& config, const Json& host_config) {
  const Json& hc = host_config;
  std::string network = TRY(get_string(hc, "NetworkMode", kWhere));
  std::string hostname = TRY(get_string(config, "Hostname", "Config"));
  if (network.starts_with("container") && split(network, ':')[0] == "container" &&
      container_of_mode(network).empty()) {
    return invalid("Invalid network mode: invalid container format container:<name|id>");
  }
  if (is_container_mode(network)) {
    if (!hostname.empty()) return invalid("conflicting options: hostname and the network mode");
    if (non_empty(hc, "Links")) {
      return invalid(
          "conflicting options: container type network can't be used with links. This would "
          "result in undefined behavior");
    }
    if (non_empty(hc, "Dns")) return invalid("conflicting options: dns and the network mode");
    if (non_empty(hc, "ExtraHosts")) {
      return invalid("conflicting options: custom host-to-IP mapping and the network mode");
    }
    if (non_empty(hc, "PortBindings") || TRY(get_bool(hc, "PublishAllPorts", kWhere))) {
      return invalid("conflicting options: port publishing and the container type network mode");
    }
    if (non_empty(config, "ExposedPorts")) {
      return invalid("conflicting options: port exposing and the container type network mode");
    }
  }
  if (TRY(get_string(hc, "UTSMode", kWhere)) == "host" && !hostname.empty()) {
    return invalid("conflicting options: hostname and the UTS mode");
  }
  if (network_is_host(network) && non_empty(hc, "Links")) {
    return invalid(
        "conflicting options: host type networking can't be used with links. This would result "
        "in undefined behavior");
  }
  return {};
}

Status validate_restart_policy(const Json& host_config) {
  const Json* policy = field(host_config, "RestartPolicy");
  if (policy == nullptr) return {};
  if (!policy->is_object()) {
    return type_error(*policy, kWhere, "RestartPolicy", "container.RestartPolicy");
  }
  std::string name = TRY(get_string(*policy, "Name", "RestartPolicy"));
  int64_t retries = TRY(get_int(*policy, "MaximumRetryCount", "RestartPolicy"));
  if (name == "always" || name == "unless-stopped" || name == "no") {
    if (retries != 0) {
      std::string message =
          "invalid restart policy: maximum retry count can only be used with 'on-failure'";
      if (retries < 0) message += " and cannot be negative";
      return invalid(message);
    }
    return {};
  }
  if (name == "on-failure") {
    if (retries < 0)
      return invalid("invalid restart policy: maximum retry count cannot be negative");
    return {};
  }
  if (name.empty()) return {};
  return make_error(ErrorCode::kInvalidArgument,
                    "invalid restart policy: unknown policy '{}'; use one of 'no', 'always', "
                    "'on-failure', or 'unless-stopped'",
                    name);
}

Status validate_host_config(const Json& host_config, const HostInfo& host) {
  const Json& hc = host_config;
  if (!hc.is_object()) return type_error(hc, "CreateRequest", "HostConfig", "container.HostConfig");
  if (TRY(get_bool(hc, "AutoRemove", kWhere))) {
    const Json* policy = field(hc, "RestartPolicy");
    std::string name = policy ? TRY(get_string(*policy, "Name", "RestartPolicy")) : "";
    if (!name.empty() && name != "no") {
      return invalid("can't create 'AutoRemove' container with restart policy");
    }
  }
  if (const Json* mounts = field(hc, "Mounts")) {
    if (!mounts->is_array()) return type_error(*mounts, kWhere, "Mounts", "[]mount.Mount");
    for (const Json& mount : *mounts) TRY(parse_mount(mount, host.daemon));
  }
  TRY(validate_extra_hosts(hc));
  TRY(validate_port_bindings(hc));
  TRY(validate_restart_policy(hc));
  TRY(validate_capabilities(hc, host));
  TRY(validate_isolation(hc));
  if (const Json* annotations = field(hc, "Annotations")) {
    if (annotations->is_object() && annotations->contains("")) {
      return invalid("invalid Annotations: the empty string is not permitted as an annotation key");
    }
  }
  return {};
}

Status validate_platform_settings(const Json& host_config, const HostInfo& host,
                                  std::vector<std::string>* warnings) {
  return validate_namespace_modes(host_config, host, warnings);
}

}  // namespace berth::cspec
