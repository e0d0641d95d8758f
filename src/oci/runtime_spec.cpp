#include "oci/runtime_spec.h"

#include <array>
#include <utility>

namespace berth::oci {

namespace {

constexpr std::array<std::pair<NamespaceType, const char*>, 8> kNamespaceNames = {{
    {NamespaceType::kPid, "pid"},
    {NamespaceType::kNetwork, "network"},
    {NamespaceType::kMount, "mount"},
    {NamespaceType::kIpc, "ipc"},
    {NamespaceType::kUts, "uts"},
    {NamespaceType::kUser, "user"},
    {NamespaceType::kCgroup, "cgroup"},
    {NamespaceType::kTime, "time"},
}};

}  // namespace

const char* namespace_type_name(NamespaceType type) {
  for (const auto& [value, name] : kNamespaceNames) {
    if (value == type) return name;
  }
  return "unknown";
}

std::optional<NamespaceType> namespace_type_from_name(const std::string& name) {
  for (const auto& [value, spec_name] : kNamespaceNames) {
    if (name == spec_name) return value;
  }
  return std::nullopt;
}

const Namespace* find_namespace(const Spec& spec, NamespaceType type) {
  if (!spec.linux) return nullptr;
  for (const Namespace& ns : spec.linux->namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

}  // namespace berth::oci
