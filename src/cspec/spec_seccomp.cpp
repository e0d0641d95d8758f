#include "cspec/spec_seccomp.h"

#include "cspec/seccomp_profile.h"
#include "security/default_seccomp_profile.h"

namespace berth::cspec {
namespace {

constexpr std::string_view kUnconfined = "unconfined";
constexpr std::string_view kBuiltin = "builtin";

}  // namespace

Result<std::optional<oci::Seccomp>> container_seccomp(const SecurityOptions& security,
                                                      bool privileged,
                                                      const std::vector<std::string>& caps,
                                                      const HostInfo& host) {
  const std::string& profile = security.seccomp_profile;
  using Out = std::optional<oci::Seccomp>;
  if (profile == kUnconfined) return Out();
  if (privileged) {
    if (profile.empty()) return Out();
    if (profile == kBuiltin) return Out(security::docker_default_seccomp(caps));
    return load_seccomp_profile(profile, caps, host);
  }
  if (!host.seccomp) {
    if (!profile.empty() && profile != kBuiltin) {
      return make_error(ErrorCode::kInvalidArgument,
                        "seccomp is not enabled in your kernel, cannot run a custom seccomp "
                        "profile");
    }
    return Out();
  }
  if (profile == kBuiltin) return Out(security::docker_default_seccomp(caps));
  if (!profile.empty()) return load_seccomp_profile(profile, caps, host);
  const std::string& daemon_profile = host.daemon.seccomp_profile;
  if (daemon_profile == kUnconfined) return Out();
  if (!daemon_profile.empty() && daemon_profile != kBuiltin) {
    return load_seccomp_profile(daemon_profile, caps, host);
  }
  return Out(security::docker_default_seccomp(caps));
}

}  // namespace berth::cspec
