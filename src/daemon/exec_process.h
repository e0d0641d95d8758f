// The process an exec runs, as dockerd's ContainerExecStart and execSetPlatformOpt build it: the
// container's own process (from the config.json of its running bundle: capabilities,
// no_new_privileges, AppArmor, rlimits, the user) with the exec's command, environment, working
// directory and terminal; the exec's user resolved in the container's rootfs (its /etc/passwd
// and /etc/group, GroupAdd included); every capability with Privileged.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "daemon/exec_store.h"
#include "oci/runtime_spec.h"

namespace berth::daemon {

struct ExecProcessInput {
  std::string bundle;  // the running container's bundle (config.json and the mounted rootfs)
  const ExecConfig* exec = nullptr;
  Json host_config;  // the container's, for GroupAdd
  int last_cap = 40;
  // From the start request; the create request's when absent.
  std::optional<std::array<uint32_t, 2>> console_size;
};

Result<oci::Process> exec_process(const ExecProcessInput& input);

// The environment of an exec (dockerd's CreateDaemonEnvironment for the exec's Tty, then the
// exec's Env over it).
std::vector<std::string> exec_environment(const Json& container_config, bool tty,
                                          const std::vector<std::string>& exec_env);

// Checks that `user` names someone in the running container's rootfs (exec create fails early,
// as dockerd does). Errors are kInvalidArgument with moby/sys/user's wording.
Status check_exec_user(const std::string& rootfs, const std::string& user, const Json& host_config);

}  // namespace berth::daemon
