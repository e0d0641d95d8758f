// Behaviour of compiled filters, loaded in forked children.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <gtest/gtest.h>

#include "seccomp_probe.h"
#include "security/seccomp.h"

namespace berth::security {
namespace {

using testing::Probe;
using testing::run_probes;

// Results go to the child's copy of this buffer.
struct utsname g_uts;

oci::SeccompSyscall rule(std::vector<std::string> names, std::string action,
                         std::optional<uint32_t> errno_ret = std::nullopt) {
  oci::SeccompSyscall r;
  r.names = std::move(names);
  r.action = std::move(action);
  r.errno_ret = errno_ret;
  return r;
}

oci::SeccompArg arg(uint32_t index, std::string op, uint64_t value, uint64_t value_two = 0) {
  return {.index = index, .value = value, .value_two = value_two, .op = std::move(op)};
}

SeccompProgram compile_or_die(const oci::Seccomp& spec) {
  auto program = compile_seccomp(spec);
  EXPECT_TRUE(program.ok()) << program.error().to_string();
  return program.ok() ? program.take() : SeccompProgram{};
}

Probe uname_probe() {
  return {SYS_uname, {reinterpret_cast<long>(&g_uts)}};
}

TEST(SeccompLoad, ErrnoRetAndDefaultEperm) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  spec.syscalls.push_back(rule({"uname"}, "SCMP_ACT_ERRNO", 1234));
  spec.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_ERRNO"));
  auto program = compile_or_die(spec);

  auto out = run_probes(program, {{SYS_getpid}, uname_probe(), {SYS_getppid}, {SYS_gettid}});
  ASSERT_TRUE(out.exited_ok()) << out.wait_status;
  ASSERT_EQ(out.values.size(), 5u);
  EXPECT_EQ(out.values[0], 0);
  EXPECT_GT(out.values[1], 0);
  EXPECT_EQ(out.values[2], -1234);
  EXPECT_EQ(out.values[3], -EPERM);
  EXPECT_EQ(out.values[4], out.values[1]);  // single-threaded: tid == pid
}

TEST(SeccompLoad, DefaultErrnoRetAppliesToUnlistedSyscalls) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ERRNO";
  spec.default_errno_ret = ENOSYS;
  spec.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  spec.syscalls.push_back(
      rule({"getpid", "write", "exit", "exit_group", "rt_sigreturn"}, "SCMP_ACT_ALLOW"));
  auto program = compile_or_die(spec);

  auto out = run_probes(program, {{SYS_getpid}, {SYS_getppid}, uname_probe()});
  ASSERT_TRUE(out.exited_ok()) << out.wait_status;
  ASSERT_EQ(out.values.size(), 4u);
  EXPECT_EQ(out.values[0], 0);
  EXPECT_GT(out.values[1], 0);
  EXPECT_EQ(out.values[2], -ENOSYS);
  EXPECT_EQ(out.values[3], -ENOSYS);
}

struct OperatorCase {
  const char* op;
  uint64_t value;
  uint64_t value_two;
  bool denied[3];  // for getpriority(which = 0, 1, 2)
};

TEST(SeccompLoad, EveryComparisonOperator) {
  constexpr int kDeniedErrno = 99;
  const OperatorCase cases[] = {
      {"SCMP_CMP_NE", 1, 0, {true, false, true}},
      {"SCMP_CMP_LT", 1, 0, {true, false, false}},
      {"SCMP_CMP_LE", 1, 0, {true, true, false}},
      {"SCMP_CMP_EQ", 1, 0, {false, true, false}},
      {"SCMP_CMP_GE", 1, 0, {false, true, true}},
      {"SCMP_CMP_GT", 1, 0, {false, false, true}},
      // (which & 2) == 2
      {"SCMP_CMP_MASKED_EQ", 2, 2, {false, false, true}},
      // (which & 3) == 0
      {"SCMP_CMP_MASKED_EQ", 3, 0, {true, false, false}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.op);
    oci::Seccomp spec;
    spec.default_action = "SCMP_ACT_ALLOW";
    auto r = rule({"getpriority"}, "SCMP_ACT_ERRNO", kDeniedErrno);
    r.args.push_back(arg(0, c.op, c.value, c.value_two));
    spec.syscalls.push_back(r);
    auto program = compile_or_die(spec);

    auto out = run_probes(program, {{SYS_getpriority, {PRIO_PROCESS, 0}},
                                    {SYS_getpriority, {PRIO_PGRP, 0}},
                                    {SYS_getpriority, {PRIO_USER, 0}}});
    ASSERT_TRUE(out.exited_ok());
    ASSERT_EQ(out.values.size(), 4u);
    for (int which = 0; which < 3; ++which) {
      if (c.denied[which]) {
        EXPECT_EQ(out.values[1 + which], -kDeniedErrno) << "which=" << which;
      } else {
        EXPECT_GE(out.values[1 + which], 0) << "which=" << which;
      }
    }
  }
}

TEST(SeccompLoad, ConditionsOnOneIndexAreOred) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  auto r = rule({"getpriority"}, "SCMP_ACT_ERRNO");
  r.args = {arg(0, "SCMP_CMP_EQ", PRIO_PGRP), arg(0, "SCMP_CMP_EQ", PRIO_USER)};
  spec.syscalls.push_back(r);
  auto program = compile_or_die(spec);

  auto out = run_probes(program, {{SYS_getpriority, {PRIO_PROCESS, 0}},
                                  {SYS_getpriority, {PRIO_PGRP, 0}},
                                  {SYS_getpriority, {PRIO_USER, 0}}});
  ASSERT_TRUE(out.exited_ok());
  ASSERT_EQ(out.values.size(), 4u);
  EXPECT_GE(out.values[1], 0);
  EXPECT_EQ(out.values[2], -EPERM);
  EXPECT_EQ(out.values[3], -EPERM);
}

TEST(SeccompLoad, ConditionsOnDifferentIndexesAreAnded) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  // Deny dup3 only when it asks for O_CLOEXEC and targets fd 100.
  auto r = rule({"dup3"}, "SCMP_ACT_ERRNO");
  r.args = {arg(1, "SCMP_CMP_EQ", 100), arg(2, "SCMP_CMP_EQ", O_CLOEXEC)};
  spec.syscalls.push_back(r);
  auto program = compile_or_die(spec);

  auto out = run_probes(
      program,
      {{SYS_dup3, {2, 100, O_CLOEXEC}}, {SYS_dup3, {2, 100, 0}}, {SYS_dup3, {2, 101, O_CLOEXEC}}});
  ASSERT_TRUE(out.exited_ok());
  ASSERT_EQ(out.values.size(), 4u);
  EXPECT_EQ(out.values[1], -EPERM);
  EXPECT_EQ(out.values[2], 100);
  EXPECT_EQ(out.values[3], 101);
}

TEST(SeccompLoad, KillActionsEndTheProcessWithSigsys) {
  for (const char* action :
       {"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"}) {
    SCOPED_TRACE(action);
    oci::Seccomp spec;
    spec.default_action = "SCMP_ACT_ALLOW";
    spec.syscalls.push_back(rule({"getppid"}, action));
    auto program = compile_or_die(spec);
    auto out = run_probes(program, {{SYS_getpid}, {SYS_getppid}});
    EXPECT_TRUE(out.killed_by(SIGSYS)) << "wait status " << out.wait_status;
  }
}

TEST(SeccompLoad, KillAsTheDefaultAction) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_KILL_PROCESS";
  spec.syscalls.push_back(rule({"getpid", "write", "exit_group"}, "SCMP_ACT_ALLOW"));
  auto program = compile_or_die(spec);
  EXPECT_TRUE(run_probes(program, {{SYS_getpid}}).exited_ok());
  EXPECT_TRUE(run_probes(program, {{SYS_getpid}, {SYS_getppid}}).killed_by(SIGSYS));
}

TEST(SeccompLoad, TraceWithoutTracerFailsWithEnosysAndLogAllows) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  spec.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_TRACE", 5));
  spec.syscalls.push_back(rule({"gettid"}, "SCMP_ACT_LOG"));
  auto program = compile_or_die(spec);
  auto out = run_probes(program, {{SYS_getppid}, {SYS_gettid}});
  ASSERT_TRUE(out.exited_ok());
  ASSERT_EQ(out.values.size(), 3u);
  EXPECT_EQ(out.values[1], -ENOSYS);
  EXPECT_GT(out.values[2], 0);
}

TEST(SeccompLoad, FlagsAreAccepted) {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  spec.flags = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_TSYNC"};
  spec.syscalls.push_back(rule({"uname"}, "SCMP_ACT_ERRNO", 7));
  auto program = compile_or_die(spec);
  auto out = run_probes(program, {uname_probe()});
  ASSERT_TRUE(out.exited_ok());
  ASSERT_EQ(out.values.size(), 2u);
  EXPECT_EQ(out.values[0], 0);
  EXPECT_EQ(out.values[1], -7);
}

TEST(SeccompLoad, EmptyProgramIsRefusedByTheKernel) {
  SeccompProgram empty;
  auto out = run_probes(empty, {});
  ASSERT_EQ(out.values.size(), 1u);
  EXPECT_EQ(out.values[0], -EINVAL);
}

}  // namespace
}  // namespace berth::security
