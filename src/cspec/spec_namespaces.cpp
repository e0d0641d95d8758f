#include "cspec/spec_namespaces.h"

#include <algorithm>

#include "cspec/docker_json.h"
#include "cspec/modes.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kWhere = "HostConfig";

void set_namespace(std::vector<oci::Namespace>& list, oci::NamespaceType type, std::string path) {
  for (auto& ns : list) {
    if (ns.type == type) {
      ns.path = std::move(path);
      return;
    }
  }
  list.push_back({type, std::move(path)});
}

void remove_namespace(std::vector<oci::Namespace>& list, oci::NamespaceType type) {
  list.erase(std::remove_if(list.begin(), list.end(),
                            [type](const oci::Namespace& ns) { return ns.type == type; }),
             list.end());
}

Result<std::string> joined_path(const StartInput& input, const char* key, std::string_view what,
                                const std::string& mode) {
  auto it = input.namespace_paths.find(key);
  if (it == input.namespace_paths.end() || it->second.empty()) {
    return make_error(ErrorCode::kFailedPrecondition,
                      "failed to join {} namespace: no namespace path for container {}", what,
                      container_of_mode(mode));
  }
  return it->second;
}

}  // namespace

Result<std::vector<oci::Namespace>> container_namespaces(const StartInput& input) {
  using oci::NamespaceType;
  const Json& hc = input.host_config;
  std::vector<oci::Namespace> list = {{NamespaceType::kMount, ""},
                                      {NamespaceType::kNetwork, ""},
                                      {NamespaceType::kUts, ""},
                                      {NamespaceType::kPid, ""},
                                      {NamespaceType::kIpc, ""}};

  if (!TRY(get_bool(input.config, "NetworkDisabled", "Config"))) {
    std::string network = TRY(get_string(hc, "NetworkMode", kWhere));
    if (is_container_mode(network)) {
      set_namespace(list, NamespaceType::kNetwork,
                    TRY(joined_path(input, "network", "network", network)));
    } else if (network_is_host(network)) {
      remove_namespace(list, NamespaceType::kNetwork);
    } else {
      set_namespace(list, NamespaceType::kNetwork, input.netns_path);
    }
  }

  std::string ipc = TRY(get_string(hc, "IpcMode", kWhere));
  if (!ipc_mode_valid(ipc)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid IPC mode: {}", ipc);
  }
  if (is_container_mode(ipc)) {
    set_namespace(list, NamespaceType::kIpc, TRY(joined_path(input, "ipc", "IPC", ipc)));
  } else if (ipc == "host") {
    remove_namespace(list, NamespaceType::kIpc);
  } else {
    set_namespace(list, NamespaceType::kIpc, "");
  }

  std::string pid = TRY(get_string(hc, "PidMode", kWhere));
  if (!pid_mode_valid(pid)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid PID mode: {}", pid);
  }
  if (is_container_mode(pid)) {
    set_namespace(list, NamespaceType::kPid, TRY(joined_path(input, "pid", "PID", pid)));
  } else if (pid == "host") {
    remove_namespace(list, NamespaceType::kPid);
  } else {
    set_namespace(list, NamespaceType::kPid, "");
  }

  std::string uts = TRY(get_string(hc, "UTSMode", kWhere));
  if (!uts_mode_valid(uts)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid UTS mode: {}", uts);
  }
  if (uts == "host") remove_namespace(list, NamespaceType::kUts);

  std::string cgroupns = TRY(get_string(hc, "CgroupnsMode", kWhere));
  if (!cgroupns_mode_valid(cgroupns)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid cgroup namespace mode: {}", cgroupns);
  }
  if (cgroupns == "private" && input.host.cgroup.cgroup_namespaces) {
    set_namespace(list, NamespaceType::kCgroup, "");
  }
  return list;
}

}  // namespace berth::cspec
