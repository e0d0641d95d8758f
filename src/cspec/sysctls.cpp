#include "cspec/sysctls.h"

#include <algorithm>

#include "cspec/docker_json.h"
#include "cspec/modes.h"

namespace berth::cspec {
namespace {

bool has_namespace(const std::vector<oci::Namespace>& namespaces, oci::NamespaceType type) {
  return std::any_of(namespaces.begin(), namespaces.end(),
                     [type](const oci::Namespace& ns) { return ns.type == type; });
}

bool is_ipc_sysctl(const std::string& key) {
  for (std::string_view name :
       {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
        "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"}) {
    if (key == name) return true;
  }
  return key.starts_with("fs.mqueue.");
}

}  // namespace

Result<std::map<std::string, std::string>> container_sysctls(const Json& config,
                                                             const Json& host_config,
                                                             const HostInfo& host) {
  std::map<std::string, std::string> out;
  std::string domainname = TRY(get_string(config, "Domainname", "Config"));
  if (!domainname.empty()) out["kernel.domainname"] = domainname;
  std::string network = TRY(get_string(host_config, "NetworkMode", "HostConfig"));
  if (network_is_private(network)) {
    if (!host.in_user_namespace && host.has_ping_group_range) {
      out["net.ipv4.ping_group_range"] = "0 2147483647";
    }
    if (host.has_ip_unprivileged_port_start) out["net.ipv4.ip_unprivileged_port_start"] = "0";
  }
  for (auto& [key, value] : TRY(get_string_map(host_config, "Sysctls", "HostConfig"))) {
    out[key] = value;
  }
  return out;
}

Status check_sysctls(const std::map<std::string, std::string>& sysctls,
                     const std::vector<oci::Namespace>& namespaces) {
  using oci::NamespaceType;
  for (const auto& [key, value] : sysctls) {
    if (is_ipc_sysctl(key)) {
      if (has_namespace(namespaces, NamespaceType::kIpc)) continue;
      return make_error(ErrorCode::kInvalidArgument,
                        "sysctl {:?} is not allowed in the hosts ipc namespace", key);
    }
    if (key.starts_with("net.")) {
      if (has_namespace(namespaces, NamespaceType::kNetwork)) continue;
      return make_error(ErrorCode::kInvalidArgument,
                        "sysctl {:?} is not allowed in the hosts network namespace", key);
    }
    if (has_namespace(namespaces, NamespaceType::kUts)) {
      if (key == "kernel.domainname") continue;
      if (key == "kernel.hostname") {
        return make_error(ErrorCode::kInvalidArgument,
                          "sysctl {:?} is not allowed as it conflicts with the OCI {:?} field", key,
                          "hostname");
      }
    }
    return make_error(ErrorCode::kInvalidArgument,
                      "sysctl {:?} is not in a separate kernel namespace", key);
  }
  return {};
}

}  // namespace berth::cspec
