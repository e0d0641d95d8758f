// The closed sets of names config.json may use: capabilities, rlimits, seccomp actions,
// operators, architectures and flags, scheduler policies and flags, I/O priority classes.
// Validation refuses anything else; other modules may use these to stay in step with it.
#pragma once

#include <span>
#include <string_view>

namespace berth::oci {

// CAP_CHOWN ... CAP_CHECKPOINT_RESTORE, indexed by capability number (41 names, Linux 5.9+).
std::span<const std::string_view> capability_names();
bool is_known_capability(std::string_view name);

// RLIMIT_AS ... RLIMIT_STACK (the 16 Linux resource limits).
bool is_known_rlimit(std::string_view name);

bool is_known_seccomp_action(std::string_view name);
bool is_known_seccomp_operator(std::string_view name);
bool is_known_seccomp_arch(std::string_view name);
bool is_known_seccomp_flag(std::string_view name);
// SCMP_ACT_ERRNO and SCMP_ACT_TRACE: the actions that carry an errno (errnoRet).
bool seccomp_action_takes_errno(std::string_view name);

bool is_known_scheduler_policy(std::string_view name);
bool is_known_scheduler_flag(std::string_view name);
bool is_known_io_priority_class(std::string_view name);

}  // namespace berth::oci
