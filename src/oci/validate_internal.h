// Shared pieces of config.json validation (runtime_spec_validate.h), internal to the oci module.
// Every check returns the first problem as kInvalidArgument, "<JSON path>: <what is wrong>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "base/result.h"
#include "oci/runtime_spec.h"

namespace berth::oci {

template <typename... Args>
Error invalid_field(std::string_view field, fmt::format_string<Args...> format, Args&&... args) {
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("{}: {}", field, fmt::format(format, std::forward<Args>(args)...)));
}

// "<field>: must be an absolute path, got \"x\"" unless `path` starts with '/'.
Status check_absolute(std::string_view field, const std::string& path);
// Strings that become C strings (argv, envp) cannot hold NUL.
Status check_no_nul(std::string_view field, const std::string& value);
// Each entry NAME=VALUE with a non-empty NAME.
Status check_env(std::string_view field, const std::vector<std::string>& env);
// Non-empty ranges that fit in 32 bits and overlap neither on the container nor the host side.
Status check_id_mappings(std::string_view field, const std::vector<IdMapping>& mappings);
// Whether `id` falls in one of the container-side ranges.
bool id_is_mapped(const std::vector<IdMapping>& mappings, uint32_t id);

// How the spec asks for a namespace type.
enum class NamespaceMode { kInherit, kNew, kJoin };
NamespaceMode namespace_mode(const Spec& spec, NamespaceType type);

// The process's uid, gid and additional gids against the container's id mappings, when it has
// a user namespace with mappings.
Status validate_user_mapped(const User& user, const Spec& spec);
Status validate_linux(const Spec& spec);
Status validate_seccomp(const Seccomp& seccomp);
Status validate_sysctls(const Spec& spec);

}  // namespace berth::oci
