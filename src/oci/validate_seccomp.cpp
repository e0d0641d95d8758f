// Validation of linux.seccomp: names from libseccomp's vocabulary, errno only where the action
// returns one, and a listener for SCMP_ACT_NOTIFY.
#include "oci/spec_names.h"
#include "oci/validate_internal.h"

namespace berth::oci {

namespace {

constexpr std::string_view kNotify = "SCMP_ACT_NOTIFY";
// libseccomp compares at most the six syscall arguments.
constexpr uint32_t kMaxSyscallArgs = 6;

Status check_errno_action(std::string_view field, std::string_view action,
                          const std::optional<uint32_t>& errno_ret) {
  if (errno_ret && !seccomp_action_takes_errno(action)) {
    return invalid_field(
        field, "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, action is {}", action);
  }
  return {};
}

Status validate_syscall(const Seccomp& seccomp, size_t index) {
  const SeccompSyscall& rule = seccomp.syscalls[index];
  std::string field = fmt::format("linux.seccomp.syscalls[{}]", index);
  if (rule.names.empty()) return invalid_field(field + ".names", "must not be empty");
  for (size_t i = 0; i < rule.names.size(); ++i) {
    if (rule.names[i].empty()) {
      return invalid_field(fmt::format("{}.names[{}]", field, i), "must not be empty");
    }
  }
  if (!is_known_seccomp_action(rule.action)) {
    return invalid_field(field + ".action", "unknown action {:?}", rule.action);
  }
  if (rule.action == kNotify) {
    if (seccomp.listener_path.empty()) {
      return invalid_field(field + ".action", "SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath");
    }
    // The runtime itself writes to its sync socket after loading the filter; a notify rule on
    // write would wait on an agent that never gets the listener fd.
    for (const std::string& name : rule.names) {
      if (name == "write") {
        return invalid_field(field + ".action", "SCMP_ACT_NOTIFY cannot be used for write");
      }
    }
  }
  TRY(check_errno_action(field + ".errnoRet", rule.action, rule.errno_ret));
  for (size_t i = 0; i < rule.args.size(); ++i) {
    const SeccompArg& arg = rule.args[i];
    std::string arg_field = fmt::format("{}.args[{}]", field, i);
    if (arg.index >= kMaxSyscallArgs) {
      return invalid_field(arg_field + ".index", "must be below {}, got {}", kMaxSyscallArgs,
                           arg.index);
    }
    if (!is_known_seccomp_operator(arg.op)) {
      return invalid_field(arg_field + ".op", "unknown operator {:?}", arg.op);
    }
  }
  return {};
}

}  // namespace

Status validate_seccomp(const Seccomp& seccomp) {
  if (!is_known_seccomp_action(seccomp.default_action)) {
    return invalid_field("linux.seccomp.defaultAction", "unknown action {:?}",
                         seccomp.default_action);
  }
  // libseccomp refuses it as a default, and the runtime's own syscalls between loading the filter
  // and handing the listener fd to the agent would wait forever.
  if (seccomp.default_action == kNotify) {
    return invalid_field("linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be the default");
  }
  TRY(check_errno_action("linux.seccomp.defaultErrnoRet", seccomp.default_action,
                         seccomp.default_errno_ret));
  for (size_t i = 0; i < seccomp.architectures.size(); ++i) {
    if (!is_known_seccomp_arch(seccomp.architectures[i])) {
      return invalid_field(fmt::format("linux.seccomp.architectures[{}]", i),
                           "unknown architecture {:?}", seccomp.architectures[i]);
    }
  }
  for (size_t i = 0; i < seccomp.flags.size(); ++i) {
    if (!is_known_seccomp_flag(seccomp.flags[i])) {
      return invalid_field(fmt::format("linux.seccomp.flags[{}]", i), "unknown flag {:?}",
                           seccomp.flags[i]);
    }
  }
  if (!seccomp.listener_metadata.empty() && seccomp.listener_path.empty()) {
    return invalid_field("linux.seccomp.listenerMetadata", "needs linux.seccomp.listenerPath");
  }
  for (size_t i = 0; i < seccomp.syscalls.size(); ++i) TRY(validate_syscall(seccomp, i));
  return {};
}

}  // namespace berth::oci
