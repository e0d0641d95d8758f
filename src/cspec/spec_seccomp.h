// Which seccomp filter a container gets (dockerd's WithSeccomp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cspec/host_info.h"
#include "cspec/security_opts.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// "seccomp=unconfined": none. --privileged: none, unless a profile is named. A kernel without
// seccomp: none, and a custom profile is an error ("seccomp is not enabled in your kernel, cannot
// run a custom seccomp profile"). "seccomp=builtin": the default. Another value: that profile
// (Docker's JSON format). No option: the daemon's profile, else the default profile widened by
// `caps` (security::docker_default_seccomp).
Result<std::optional<oci::Seccomp>> container_seccomp(const SecurityOptions& security,
                                                      bool privileged,
                                                      const std::vector<std::string>& caps,
                                                      const HostInfo& host);

}  // namespace berth::cspec
