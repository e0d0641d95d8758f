// The spec's process (dockerd's withCommonOptions, WithUser, WithCapabilities, withRlimits,
// WithApparmor, WithOOMScore, WithConsoleSize, no-new-privileges).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "cspec/security_opts.h"
#include "cspec/start_input.h"
#include "oci/runtime_spec.h"

namespace berth::cspec {

// The path Docker mounts its init at and runs it from.
inline constexpr const char* kInContainerInitPath = "/sbin/docker-init";

// Whether --init applies: HostConfig.Init, or the daemon's default when it is absent, and only
// with a PID namespace of the container's own.
Result<bool> uses_init(const StartInput& input);

// args: Entrypoint then Cmd ("/sbin/docker-init", "--" first with --init); env: see
// container_env; cwd: WorkingDir or "/"; terminal and consoleSize from Tty and
// HostConfig.ConsoleSize; user from Config.User and GroupAdd resolved in the rootfs;
// capabilities: effective, bounding and permitted all `caps`, no inheritable or ambient ones;
// noNewPrivileges; apparmorProfile (only on AppArmor hosts); rlimits; oomScoreAdj (always set).
Result<oci::Process> container_process(const StartInput& input,
                                       const std::vector<std::string>& caps,
                                       const SecurityOptions& security, bool with_init);

}  // namespace berth::cspec
