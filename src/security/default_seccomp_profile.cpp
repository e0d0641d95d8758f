#include "security/default_seccomp_profile.h"

#include <linux/capability.h>
#include <linux/sched.h>
#include <sys/personality.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "security/capabilities.h"

namespace berth::security {
namespace {

// System calls every container may make. The facts follow Docker's default profile; the
// io_uring family is left out, as Docker has done since 25.0, because it bypasses seccomp for the
// operations it performs. Names an architecture or libseccomp lacks are skipped at compile time.
// clang-format off
constexpr std::string_view kAllowed[] = {
    "_llseek", "_newselect", "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk",
    "capget", "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64",
    "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
    "clock_nanosleep_time64", "close", "close_range", "connect", "copy_file_range", "creat", "dup",
    "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat",
    "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
    "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchown", "fchown32", "fchownat", "fcntl",
    "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr",
    "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
    "futex", "futex_time64", "futex_waitv", "futimesat", "get_robust_list", "get_thread_area",
    "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32", "geteuid", "geteuid32",
    "getgid", "getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
    "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid", "getresgid32",
    "getresuid", "getresuid32", "getrlimit", "getrusage", "getsid", "getsockname", "getsockopt",
    "gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch", "inotify_init",
    "inotify_init1", "inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
    "io_pgetevents_time64", "io_setup", "io_submit", "ioctl", "ioprio_get", "ioprio_set", "ipc",
    "kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown",
    "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr", "lremovexattr",
    "lseek", "lsetxattr", "lstat", "lstat64", "madvise", "membarrier", "memfd_create",
    "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2",
    "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open",
    "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
    "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
    "name_to_handle_at", "nanosleep", "newfstatat", "open", "openat", "openat2", "pause",
    "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect",
    "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
    "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
    "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
    "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat",
    "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
    "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
    "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_get_priority_max",
    "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
    "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
    "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
    "seccomp", "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send",
    "sendfile", "sendfile64", "sendmmsg", "sendmsg", "sendto", "set_robust_list", "set_thread_area",
    "set_tid_address", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
    "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32",
    "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit",
    "setsid", "setsockopt", "setuid", "setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget",
    "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall",
    "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat",
    "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create",
    "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
    "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
    "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname",
    "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice",
    "wait4", "waitid", "waitpid", "write", "writev",
    // Newer than the profile above and as harmless: Docker allows them in later releases, and
    // glibc falls back from a new call only on ENOSYS, not on this profile's EPERM (fchmodat2).
    "cachestat", "fchmodat2", "futex_requeue", "futex_wait", "futex_wake", "map_shadow_stack",
    "mseal",
    // Since Linux 4.8 seccomp runs after ptrace's changes to a system call, so a tracer can no
    // longer use ptrace to slip past the filter; Docker allows these without CAP_SYS_PTRACE.
    "process_vm_readv", "process_vm_writev", "ptrace",
};
// clang-format on

// personality(2) values Docker permits: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32,
// and 0xffffffff, which only queries the current persona.
constexpr uint64_t kAllowedPersonalities[] = {
    PER_LINUX, PER_LINUX32, UNAME26, uint64_t{UNAME26} | uint64_t{PER_LINUX32}, 0xffffffffULL};

// clone(2) flags that create namespaces; without CAP_SYS_ADMIN clone must not carry any of them.
constexpr uint64_t kNamespaceCloneFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                          CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                          CLONE_NEWNET;

class ProfileBuilder {
 public:
  explicit ProfileBuilder(oci::Seccomp& profile) : profile_(profile) {}

  void allow(std::initializer_list<std::string_view> names) { add(names, "SCMP_ACT_ALLOW"); }

  void allow_if(std::string_view name, const oci::SeccompArg& arg) {
    add({name}, "SCMP_ACT_ALLOW").args.push_back(arg);
  }

  void fail(std::initializer_list<std::string_view> names, uint32_t err) {
    add(names, "SCMP_ACT_ERRNO").errno_ret = err;
  }

 private:
  oci::SeccompSyscall& add(std::initializer_list<std::string_view> names, const char* action) {
    auto& rule = profile_.syscalls.emplace_back();
    for (auto name : names) rule.names.emplace_back(name);
    rule.action = action;
    return rule;
  }

  oci::Seccomp& profile_;
};

oci::SeccompArg arg(uint32_t index, std::string op, uint64_t value, uint64_t value_two = 0) {
  oci::SeccompArg a;
  a.index = index;
  a.op = std::move(op);
  a.value = value;
  a.value_two = value_two;
  return a;
}

void add_architectures(oci::Seccomp& profile) {
#if defined(__x86_64__)
  profile.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
#elif defined(__aarch64__)
  profile.architectures = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
#else
  // Elsewhere the filter covers the native architecture only (libseccomp's default).
  (void)profile;
#endif
}

void allow_architecture_specific(ProfileBuilder& b) {
#if defined(__x86_64__) || defined(__i386__)
  b.allow({"arch_prctl", "modify_ldt"});
#elif defined(__aarch64__) || defined(__arm__)
  b.allow({"arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint",
           "cacheflush", "set_tls"});
#else
  (void)b;
#endif
}

}  // namespace

oci::Seccomp docker_default_seccomp(const std::vector<std::string>& caps) {
  uint64_t have = 0;
  for (const auto& name : caps) {
    if (auto cap = capability_from_docker_name(name)) have |= capability_bit(*cap);
  }
  auto has = [have](int cap) { return (have & capability_bit(cap)) != 0; };

  oci::Seccomp profile;
  profile.default_action = "SCMP_ACT_ERRNO";
  profile.default_errno_ret = EPERM;
  add_architectures(profile);

  ProfileBuilder b(profile);
  {
    auto& rule = profile.syscalls.emplace_back();
    rule.names.assign(std::begin(kAllowed), std::end(kAllowed));
    rule.action = "SCMP_ACT_ALLOW";
  }
  // AF_VSOCK reaches the hypervisor's host side; Docker keeps containers off it.
  b.allow_if("socket", arg(0, "SCMP_CMP_NE", AF_VSOCK));
  for (uint64_t persona : kAllowedPersonalities) {
    b.allow_if("personality", arg(0, "SCMP_CMP_EQ", persona));
  }
  allow_architecture_specific(b);

  if (has(CAP_SYS_ADMIN)) {
    b.allow({"bpf",           "clone",         "clone3",      "fanotify_init",   "fsconfig",
             "fsmount",       "fsopen",        "fspick",      "lookup_dcookie",  "mount",
             "mount_setattr", "move_mount",    "open_tree",   "perf_event_open", "quotactl",
             "quotactl_fd",   "setdomainname", "sethostname", "setns",           "syslog",
             "umount",        "umount2",       "unshare"});
  } else {
#if defined(__s390__) || defined(__s390x__)
    // s390 passes clone's flags second.
    b.allow_if("clone", arg(1, "SCMP_CMP_MASKED_EQ", kNamespaceCloneFlags, 0));
#else
    b.allow_if("clone", arg(0, "SCMP_CMP_MASKED_EQ", kNamespaceCloneFlags, 0));
#endif
    // clone3 passes its flags in memory, where seccomp cannot look. ENOSYS makes libc fall
    // back to clone, whose flags the rule above checks.
    b.fail({"clone3"}, ENOSYS);
  }
  if (has(CAP_DAC_READ_SEARCH)) b.allow({"open_by_handle_at"});
  if (has(CAP_SYS_BOOT)) b.allow({"reboot"});
  if (has(CAP_SYS_CHROOT)) b.allow({"chroot"});
  if (has(CAP_SYS_MODULE)) b.allow({"delete_module", "init_module", "finit_module"});
  if (has(CAP_SYS_PACCT)) b.allow({"acct"});
  if (has(CAP_SYS_PTRACE)) b.allow({"kcmp", "pidfd_getfd", "process_madvise"});
  if (has(CAP_SYS_RAWIO)) b.allow({"iopl", "ioperm"});
  if (has(CAP_SYS_TIME)) b.allow({"settimeofday", "stime", "clock_settime", "clock_settime64"});
  if (has(CAP_SYS_TTY_CONFIG)) b.allow({"vhangup"});
  if (has(CAP_SYS_NICE)) {
    b.allow({"get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"});
  }
  if (has(CAP_SYSLOG)) b.allow({"syslog"});
  if (has(CAP_BPF)) b.allow({"bpf"});
  if (has(CAP_PERFMON)) b.allow({"perf_event_open"});
  return profile;
}

}  // namespace berth::security
