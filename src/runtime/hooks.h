// OCI hooks: a program run with the container state JSON on stdin, with a timeout.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"
#include "runtime/process_plan.h"

namespace berth::runtime {

struct HookCommand {
  std::string path;
  CStringArray argv;
  CStringArray envp;
  int timeout_seconds = 0;  // 0: none
};

HookCommand make_hook_command(const oci::Hook& hook);
std::vector<HookCommand> make_hook_commands(const std::vector<oci::Hook>& hooks);

// Runs `hook` and waits for it. When setns_pidfd >= 0, the hook process first joins the
// namespaces `setns_flags` of that process (createContainer hooks run in the container's).
// Child-safe: no allocation. Returns 0, -errno, or kHookFailed / kHookTimedOut.
inline constexpr int kHookFailed = -1000100;
inline constexpr int kHookTimedOut = -1000101;
int run_hook_raw(const HookCommand& hook, const char* state, size_t state_len, int setns_pidfd,
                 int setns_flags, int* exit_status) noexcept;

// Parent side: runs each hook in order; the first failure is an error naming the hook kind.
Status run_hooks(const std::vector<HookCommand>& hooks, const std::string& kind,
                 const std::string& state_json, int setns_pidfd = -1, int setns_flags = 0);

}  // namespace berth::runtime
