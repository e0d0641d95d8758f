// Validation of linux.sysctl. A sysctl is allowed only when the kernel namespaces it and the
// container has that namespace; anything else would change the host (runc's rule). Network and
// IPC namespaces may be joined by path (a pod's sandbox holds them); the UTS ones follow the
// hostname field and need a UTS namespace of the container's own.
#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool is_ipc_sysctl(std::string_view key) {
  return starts_with(key, "kernel.msg") || starts_with(key, "kernel.sem") ||
         starts_with(key, "kernel.shm") || starts_with(key, "fs.mqueue.");
}

// Empty components ("net..x", ".net") would turn into odd paths under /proc/sys.
bool is_well_formed(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  return key.find("..") == std::string_view::npos && key.find('\0') == std::string_view::npos;
}

Status check_sysctl(const Spec& spec, const std::string& key) {
  std::string field = fmt::format("linux.sysctl.{}", key);
  if (!is_well_formed(key)) return invalid_field("linux.sysctl", "invalid key {:?}", key);
  if (starts_with(key, "net.")) {
    if (namespace_mode(spec, NamespaceType::kNetwork) == NamespaceMode::kInherit) {
      return invalid_field(field, "not allowed without a network namespace");
    }
    return {};
  }
  if (is_ipc_sysctl(key)) {
    if (namespace_mode(spec, NamespaceType::kIpc) == NamespaceMode::kInherit) {
      return invalid_field(field, "not allowed without an ipc namespace");
    }
    return {};
  }
  if (key == "kernel.hostname" || key == "kernel.domainname") {
    if (namespace_mode(spec, NamespaceType::kUts) != NamespaceMode::kNew) {
      return invalid_field(field, "not allowed without a new uts namespace");
    }
    const std::string& field_value = key == "kernel.hostname" ? spec.hostname : spec.domainname;
    if (!field_value.empty()) {
      return invalid_field(field, "conflicts with the {} field",
                           key == "kernel.hostname" ? "hostname" : "domainname");
    }
    return {};
  }
  return invalid_field(field, "not a namespaced sysctl; it would change the host");
}

}  // namespace

Status validate_sysctls(const Spec& spec) {
  for (const auto& [key, value] : spec.linux->sysctl) TRY(check_sysctl(spec, key));
  return {};
}

}  // namespace berth::oci
