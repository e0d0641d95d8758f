// validate_spec: the top of config.json (version, root, hostname, mounts, hooks, annotations),
// then process and linux through their own validators.
#include "oci/runtime_spec_validate.h"

#include <algorithm>

#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier_list(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-';
  });
}

// MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], as SemVer 2.0.0 writes it; major must be 1.
Status validate_version(const std::string& version) {
  if (version.empty()) return invalid_field("ociVersion", "required");
  std::string_view rest = version;
  size_t plus = rest.find('+');
  if (plus != std::string_view::npos) {
    if (!is_identifier_list(rest.substr(plus + 1))) {
      return invalid_field("ociVersion", "{:?} is not a SemVer version", version);
    }
    rest = rest.substr(0, plus);
  }
  size_t dash = rest.find('-');
  if (dash != std::string_view::npos) {
    if (!is_identifier_list(rest.substr(dash + 1))) {
      return invalid_field("ociVersion", "{:?} is not a SemVer version", version);
    }
    rest = rest.substr(0, dash);
  }
  size_t dot1 = rest.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : rest.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || !is_number(rest.substr(0, dot1)) ||
      !is_number(rest.substr(dot1 + 1, dot2 - dot1 - 1)) || !is_number(rest.substr(dot2 + 1))) {
    return invalid_field("ociVersion", "{:?} is not a SemVer version", version);
  }
  if (rest.substr(0, dot1) != "1") {
    return invalid_field("ociVersion", "unsupported major version in {:?} (want 1.x.y)", version);
  }
  return {};
}

// sethostname(2) and setdomainname(2) take at most 64 bytes.
Status validate_uts_name(std::string_view field, const std::string& name, const Spec& spec) {
  if (name.empty()) return {};
  if (namespace_mode(spec, NamespaceType::kUts) != NamespaceMode::kNew) {
    return invalid_field(field, "needs a new uts namespace");
  }
  if (name.size() > 64) return invalid_field(field, "longer than 64 bytes");
  return {};
}

bool has_option(const Mount& mount, std::string_view option) {
  return std::find(mount.options.begin(), mount.options.end(), option) != mount.options.end();
}

Status validate_mount(const Spec& spec, size_t index) {
  const Mount& mount = spec.mounts[index];
  std::string field = fmt::format("mounts[{}]", index);
  // The spec still tolerates relative destinations (deprecated); Berth refuses them rather than
  // guess what they are relative to.
  TRY(check_absolute(field + ".destination", mount.destination));
  if (mount.uid_mappings.empty() != mount.gid_mappings.empty()) {
    return invalid_field(field, "uidMappings and gidMappings must be given together");
  }
  TRY(check_id_mappings(field + ".uidMappings", mount.uid_mappings));
  TRY(check_id_mappings(field + ".gidMappings", mount.gid_mappings));
  bool idmapped = has_option(mount, "idmap") || has_option(mount, "ridmap");
  if (idmapped && mount.uid_mappings.empty() &&
      namespace_mode(spec, NamespaceType::kUser) == NamespaceMode::kInherit) {
    return invalid_field(field + ".options",
                         "an idmapped mount needs uidMappings/gidMappings or a user namespace");
  }
  return {};
}

Status validate_hook_list(std::string_view name, const std::vector<Hook>& hooks) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    const Hook& hook = hooks[i];
    std::string field = fmt::format("hooks.{}[{}]", name, i);
    TRY(check_absolute(field + ".path", hook.path));
    TRY(check_env(field + ".env", hook.env));
    if (hook.timeout && *hook.timeout <= 0) {
      return invalid_field(field + ".timeout", "must be greater than zero, got {}", *hook.timeout);
    }
  }
  return {};
}

Status validate_hooks(const Hooks& hooks) {
  TRY(validate_hook_list("prestart", hooks.prestart));
  TRY(validate_hook_list("createRuntime", hooks.create_runtime));
  TRY(validate_hook_list("createContainer", hooks.create_container));
  TRY(validate_hook_list("startContainer", hooks.start_container));
  TRY(validate_hook_list("poststart", hooks.poststart));
  TRY(validate_hook_list("poststop", hooks.poststop));
  return {};
}

}  // namespace

Status validate_spec(const Spec& spec, const ValidateOptions& options) {
  TRY(validate_version(spec.oci_version));
  if (!spec.root) return invalid_field("root", "required");
  if (spec.root->path.empty()) return invalid_field("root.path", "required");
  // The process's ids are checked against the mappings last, once the mappings themselves are
  // known to be sound.
  if (spec.process) {
    TRY(validate_process(*spec.process));
  } else if (options.require_process) {
    return invalid_field("process", "required");
  }
  TRY(validate_uts_name("hostname", spec.hostname, spec));
  TRY(validate_uts_name("domainname", spec.domainname, spec));
  for (size_t i = 0; i < spec.mounts.size(); ++i) TRY(validate_mount(spec, i));
  if (spec.hooks) TRY(validate_hooks(*spec.hooks));
  if (spec.annotations.count("") != 0) {
    return invalid_field("annotations", "keys must not be empty");
  }
  TRY(validate_linux(spec));
  if (spec.process) TRY(validate_user_mapped(spec.process->user, spec));
  return {};
}

}  // namespace berth::oci
