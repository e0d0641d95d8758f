#include "oci/spec_names.h"

#include <algorithm>
#include <array>

namespace berth::oci {

namespace {

// In kernel order (include/uapi/linux/capability.h), so the index is the capability number.
constexpr std::array<std::string_view, 41> kCapabilities = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

constexpr std::array<std::string_view, 16> kRlimits = {
    "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
    "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
};

constexpr std::array<std::string_view, 9> kSeccompActions = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY",
};

constexpr std::array<std::string_view, 7> kSeccompOperators = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

// The spec's list (libseccomp 2.5) plus LoongArch, which libseccomp 2.6 added and recent
// Docker profiles name.
constexpr std::array<std::string_view, 20> kSeccompArchs = {
    "SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
    "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
};

constexpr std::array<std::string_view, 4> kSeccompFlags = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

constexpr std::array<std::string_view, 7> kSchedulerPolicies = {
    "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",       "SCHED_BATCH",
    "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE",
};

constexpr std::array<std::string_view, 7> kSchedulerFlags = {
    "SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",     "SCHED_FLAG_DL_OVERRUN",
    "SCHED_FLAG_KEEP_POLICY",    "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
    "SCHED_FLAG_UTIL_CLAMP_MAX",
};

constexpr std::array<std::string_view, 3> kIoPriorityClasses = {
    "IOPRIO_CLASS_RT",
    "IOPRIO_CLASS_BE",
    "IOPRIO_CLASS_IDLE",
};

template <size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::span<const std::string_view> capability_names() {
  return kCapabilities;
}
bool is_known_capability(std::string_view name) {
  return contains(kCapabilities, name);
}
bool is_known_rlimit(std::string_view name) {
  return contains(kRlimits, name);
}
bool is_known_seccomp_action(std::string_view name) {
  return contains(kSeccompActions, name);
}
bool is_known_seccomp_operator(std::string_view name) {
  return contains(kSeccompOperators, name);
}
bool is_known_seccomp_arch(std::string_view name) {
  return contains(kSeccompArchs, name);
}
bool is_known_seccomp_flag(std::string_view name) {
  return contains(kSeccompFlags, name);
}
bool seccomp_action_takes_errno(std::string_view name) {
  return name == "SCMP_ACT_ERRNO" || name == "SCMP_ACT_TRACE";
}
bool is_known_scheduler_policy(std::string_view name) {
  return contains(kSchedulerPolicies, name);
}
bool is_known_scheduler_flag(std::string_view name) {
  return contains(kSchedulerFlags, name);
}
bool is_known_io_priority_class(std::string_view name) {
  return contains(kIoPriorityClasses, name);
}

}  // namespace berth::oci
