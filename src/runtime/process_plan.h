// Everything the container process needs between clone and exec, computed before the clone:
// argv/envp as C arrays, credentials, capabilities, the compiled seccomp filter, rlimits.
// The child only reads it (see docs/architecture.md, "Between clone and exec").
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "oci/runtime_spec.h"
#include "security/capabilities.h"
#include "security/seccomp.h"

namespace berth::runtime {

// A vector<string> with a null-terminated char* array over it, for execve.
class CStringArray {
 public:
  CStringArray() { pointers_.push_back(nullptr); }
  explicit CStringArray(std::vector<std::string> strings);
  CStringArray(const CStringArray&) = delete;
  CStringArray& operator=(const CStringArray&) = delete;
  CStringArray(CStringArray&&) = default;
  CStringArray& operator=(CStringArray&&) = default;

  char* const* data() const { return const_cast<char* const*>(pointers_.data()); }
  const std::vector<std::string>& strings() const { return strings_; }
  size_t size() const { return strings_.size(); }

 private:
  std::vector<std::string> strings_;
  std::vector<const char*> pointers_;
};

struct RlimitSetting {
  int resource = 0;
  struct rlimit limit {};
};

struct ProcessPlan {
  CStringArray argv;
  CStringArray envp;
  // PATH entries from the process environment, to search argv[0] when it has no '/'.
  CStringArray search_path;
  std::string cwd;

  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> additional_gids;
  bool set_groups = true;  // false in a user namespace whose setgroups is denied
  std::optional<mode_t> umask;

  bool has_capabilities = false;
  security::CapabilitySets capabilities{};
  int last_cap = 40;
  bool no_new_privileges = false;
  bool has_seccomp = false;
  security::SeccompProgram seccomp;

  std::vector<RlimitSetting> rlimits;
  std::optional<int> oom_score_adj;
  std::optional<unsigned long> personality;
  bool has_scheduler = false;
  int sched_policy = 0;
  int sched_priority = 0;
  int sched_nice = 0;
  std::optional<int> io_priority;  // the ioprio_set value
  std::string apparmor_profile;    // written to /proc/self/attr/apparmor/exec when set

  bool terminal = false;
  std::optional<oci::ConsoleSize> console_size;

  // Extra fds (from 3) handed to the process, as runc --preserve-fds and LISTEN_FDS.
  int preserve_fds = 0;
};

// Builds the plan for `process`. `in_user_namespace` and `setgroups_denied` adjust credentials.
Result<ProcessPlan> make_process_plan(const oci::Process& process,
                                      const std::optional<oci::Seccomp>& seccomp, int preserve_fds);

// Returned by lookup_executable when argv[0] has no '/' and no PATH entry holds it.
inline constexpr int kNotFoundInPath = -1000001;

// Child side, in this order once the rootfs is final. Each returns 0 or -errno, with `*what`
// naming the failed step; none allocates.
//
// Finds argv[0] as Go's exec.LookPath does (cwd and PATH of the container) — before waiting
// for `start`, so that a missing executable fails `create`, as with runc.
int lookup_executable(const ProcessPlan& plan, char* out, size_t out_size) noexcept;
// rlimits, personality, scheduler, I/O priority, AppArmor, groups/gid/uid, cwd (verified to be
// inside the root: CVE-2024-21626), capabilities, umask, no_new_privs; seccomp when it must
// be loaded while privileged.
int apply_credentials_and_security(const ProcessPlan& plan, const char** what) noexcept;
// Marks every fd above the preserved ones close-on-exec, loads seccomp when no_new_privs is
// set, and execs `resolved`. Returns only on failure.
int exec_process(const ProcessPlan& plan, const char* resolved, const char** what) noexcept;

}  // namespace berth::runtime
