#include "security/default_seccomp_profile.h"

#include <linux/filter.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <gtest/gtest.h>

#include "seccomp_probe.h"
#include "security/capabilities.h"
#include "security/seccomp.h"

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif

namespace berth::security {
namespace {

using testing::Probe;
using testing::run_probes;

struct utsname g_uts;

constexpr long kCloneFs = 0x00000200;       // CLONE_FS
constexpr long kCloneSighand = 0x00000800;  // CLONE_SIGHAND

// Rules naming `syscall` with `action`.
std::vector<const oci::SeccompSyscall*> rules_for(const oci::Seccomp& profile,
                                                  std::string_view syscall,
                                                  std::string_view action) {
  std::vector<const oci::SeccompSyscall*> found;
  for (const auto& r : profile.syscalls) {
    if (r.action == action && std::find(r.names.begin(), r.names.end(), syscall) != r.names.end()) {
      found.push_back(&r);
    }
  }
  return found;
}

bool allows_unconditionally(const oci::Seccomp& profile, std::string_view syscall) {
  for (const auto* r : rules_for(profile, syscall, "SCMP_ACT_ALLOW")) {
    if (r->args.empty()) return true;
  }
  return false;
}

TEST(DockerDefaultSeccomp, Shape) {
  auto profile = docker_default_seccomp(docker_default_capabilities());
  EXPECT_EQ(profile.default_action, "SCMP_ACT_ERRNO");
  EXPECT_EQ(profile.default_errno_ret, EPERM);
#if defined(__x86_64__)
  EXPECT_EQ(profile.architectures,
            (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
#endif
  for (const char* name : {"read", "write", "openat", "execve", "futex", "getpid", "chroot"}) {
    EXPECT_TRUE(allows_unconditionally(profile, name)) << name;
  }
  for (const char* name :
       {"mount",           "umount2",     "unshare",        "setns",          "kexec_load",
        "kexec_file_load", "init_module", "finit_module",   "delete_module",  "bpf",
        "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
        "keyctl",          "add_key",     "request_key",    "reboot",         "open_by_handle_at",
        "clone",           "clone3",      "kcmp",           "acct",           "swapon"}) {
    EXPECT_FALSE(allows_unconditionally(profile, name)) << name;
  }
  auto clone3 = rules_for(profile, "clone3", "SCMP_ACT_ERRNO");
  ASSERT_EQ(clone3.size(), 1u);
  EXPECT_EQ(clone3[0]->errno_ret, ENOSYS);
  ASSERT_EQ(rules_for(profile, "clone", "SCMP_ACT_ALLOW").size(), 1u);
  EXPECT_EQ(rules_for(profile, "clone", "SCMP_ACT_ALLOW")[0]->args.size(), 1u);
  EXPECT_EQ(rules_for(profile, "personality", "SCMP_ACT_ALLOW").size(), 5u);
}

TEST(DockerDefaultSeccomp, CapabilitiesWidenTheAllowList) {
  auto caps = docker_default_capabilities();
  caps.push_back("CAP_SYS_ADMIN");
  caps.push_back("SYS_PTRACE");  // Docker's spelling works too
  auto profile = docker_default_seccomp(caps);
  for (const char* name :
       {"mount", "umount2", "unshare", "setns", "clone", "clone3", "kcmp", "pidfd_getfd"}) {
    EXPECT_TRUE(allows_unconditionally(profile, name)) << name;
  }
  EXPECT_TRUE(rules_for(profile, "clone3", "SCMP_ACT_ERRNO").empty());
  EXPECT_FALSE(allows_unconditionally(profile, "init_module"));

  auto all = docker_default_seccomp(all_capabilities());
  for (const char* name : {"init_module", "reboot", "acct", "iopl", "settimeofday", "vhangup",
                           "mbind", "syslog", "bpf", "perf_event_open", "open_by_handle_at"}) {
    EXPECT_TRUE(allows_unconditionally(all, name)) << name;
  }
  // Not even --privileged's capabilities open these in the profile (Docker disables seccomp
  // for privileged containers instead).
  for (const char* name : {"kexec_load", "keyctl", "userfaultfd", "io_uring_setup"}) {
    EXPECT_FALSE(allows_unconditionally(all, name)) << name;
  }
}

TEST(DockerDefaultSeccomp, Compiles) {
  for (const auto& caps :
       {docker_default_capabilities(), all_capabilities(), std::vector<std::string>{}}) {
    auto program = compile_seccomp(docker_default_seccomp(caps));
    ASSERT_TRUE(program.ok()) << program.error().to_string();
    EXPECT_GT(program->instructions.size(), 100u);
    EXPECT_LE(program->instructions.size(), static_cast<size_t>(BPF_MAXINSNS));
  }
}

std::vector<Probe> blocked_probes() {
  return {
      {SYS_unshare, {0}},
      {SYS_mount, {0, 0, 0, 0, 0}},
      {SYS_umount2, {0, 0}},
      {SYS_setns, {-1, 0}},
      {SYS_keyctl, {0, 0, 0, 0, 0}},
      {SYS_add_key, {0, 0, 0, 0, 0}},
      {SYS_request_key, {0, 0, 0, 0}},
      {SYS_bpf, {-1, 0, 0}},
      {SYS_perf_event_open, {0, 0, -1, -1, 0}},
      {SYS_userfaultfd, {0}},
      {SYS_io_uring_setup, {0, 0}},
      {SYS_kexec_load, {0, 0, 0, 0}},
      {SYS_init_module, {0, 0, 0}},
      {SYS_finit_module, {-1, 0, 0}},
      {SYS_delete_module, {0, 0}},
      {SYS_reboot, {0, 0, 0, 0}},
      {SYS_open_by_handle_at, {-1, 0, 0}},
      {SYS_socket, {AF_VSOCK, SOCK_STREAM, 0}},
      {SYS_personality, {6}},  // PER_BSD
      {SYS_clone, {CLONE_NEWUSER | kCloneFs, 0, 0, 0, 0}},
  };
}

TEST(DockerDefaultSeccomp, DeniesWhatDockerDenies) {
  auto program = compile_seccomp(docker_default_seccomp(docker_default_capabilities()));
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  auto probes = blocked_probes();
  probes.push_back({SYS_clone3, {0, 0}});
  auto out = run_probes(*program, probes);
  ASSERT_TRUE(out.exited_ok()) << out.wait_status;
  ASSERT_EQ(out.values.size(), probes.size() + 1);
  EXPECT_EQ(out.values[0], 0);
  for (size_t i = 0; i + 1 < probes.size(); ++i) {
    EXPECT_EQ(out.values[i + 1], -EPERM) << "syscall " << probes[i].nr;
  }
  EXPECT_EQ(out.values.back(), -ENOSYS) << "clone3 must fail with ENOSYS";
}

TEST(DockerDefaultSeccomp, AllowsOrdinarySyscalls) {
  auto program = compile_seccomp(docker_default_seccomp(docker_default_capabilities()));
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  std::vector<Probe> probes = {
      {SYS_getpid},
      {SYS_uname, {reinterpret_cast<long>(&g_uts)}},
      {SYS_socket, {AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0}},
      {SYS_personality, {0xffffffffL}},
      {SYS_getppid},
      // Allowed through the clone rule (no namespace flags); the kernel then rejects
      // CLONE_SIGHAND without CLONE_VM, so no process is created.
      {SYS_clone, {kCloneSighand, 0, 0, 0, 0}},
      {SYS_chroot, {reinterpret_cast<long>("/nonexistent-berth-test")}},
      // Allowed (Linux >= 4.8); fails because this process does not trace itself.
      {SYS_ptrace, {PTRACE_PEEKDATA, 0, 0, 0}},
  };
  probes.back().args[1] = getpid();
  auto out = run_probes(*program, probes);
  ASSERT_TRUE(out.exited_ok()) << out.wait_status;
  ASSERT_EQ(out.values.size(), probes.size() + 1);
  EXPECT_EQ(out.values[0], 0);
  EXPECT_GT(out.values[1], 0);
  EXPECT_EQ(out.values[2], 0);
  EXPECT_GE(out.values[3], 0);
  EXPECT_GE(out.values[4], 0);
  EXPECT_GT(out.values[5], 0);
  EXPECT_EQ(out.values[6], -EINVAL);
  EXPECT_EQ(out.values[7], -ENOENT);
  EXPECT_EQ(out.values[8], -ESRCH);
}

// An ordinary program runs to completion under the profile: exec, dynamic loading, fork of a
// pipeline, /proc reads.
int exec_shell_under_profile(testing::Reporter& report, const void* arg) {
  const auto& program = *static_cast<const SeccompProgram*>(arg);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 2;
  int rc = load_seccomp_raw(program);
  report.add(rc);
  if (rc != 0) return 1;
  const char* argv[] = {"/bin/sh", "-c",
                        "ls / >/dev/null && uname -a >/dev/null && id | grep -q uid && "
                        "grep -q Seccomp /proc/self/status && echo ok | cat >/dev/null",
                        nullptr};
  const char* envp[] = {"PATH=/usr/bin:/bin", nullptr};
  execve(argv[0], const_cast<char* const*>(argv), const_cast<char* const*>(envp));
  return 3;
}

TEST(DockerDefaultSeccomp, OrdinaryProgramsRun) {
  auto program = compile_seccomp(docker_default_seccomp(docker_default_capabilities()));
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  auto out = testing::run_in_child(exec_shell_under_profile, &*program);
  EXPECT_TRUE(out.exited_ok()) << "wait status " << out.wait_status;
}

TEST(DockerDefaultSeccomp, SysAdminAllowsNamespaceCalls) {
  auto caps = docker_default_capabilities();
  caps.push_back("CAP_SYS_ADMIN");
  auto program = compile_seccomp(docker_default_seccomp(caps));
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  // unshare(0) changes nothing; clone3 with no arguments and setns on a bad fd fail in the
  // kernel, past the filter.
  auto out = run_probes(*program, {{SYS_unshare, {0}},
                                   {SYS_clone3, {0, 0}},
                                   {SYS_setns, {-1, 0}},
                                   {SYS_kexec_load, {0, 0, 0, 0}}});
  ASSERT_TRUE(out.exited_ok()) << out.wait_status;
  ASSERT_EQ(out.values.size(), 5u);
  EXPECT_EQ(out.values[1], 0);
  EXPECT_EQ(out.values[2], -EINVAL);
  EXPECT_EQ(out.values[3], -EBADF);
  EXPECT_EQ(out.values[4], -EPERM);
}

}  // namespace
}  // namespace berth::security
