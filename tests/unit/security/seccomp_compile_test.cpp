// compile_seccomp's validation and translation, without loading anything.
#include <linux/seccomp.h>

#include <gtest/gtest.h>

#include "security/seccomp.h"

namespace berth::security {
namespace {

oci::SeccompSyscall rule(std::vector<std::string> names, std::string action) {
  oci::SeccompSyscall r;
  r.names = std::move(names);
  r.action = std::move(action);
  return r;
}

oci::Seccomp allow_by_default() {
  oci::Seccomp spec;
  spec.default_action = "SCMP_ACT_ALLOW";
  return spec;
}

void expect_error(const oci::Seccomp& spec, ErrorCode code, std::string_view mentions) {
  auto program = compile_seccomp(spec);
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.error().code(), code) << program.error().to_string();
  EXPECT_NE(program.error().message().find(mentions), std::string::npos)
      << program.error().message();
}

TEST(CompileSeccomp, ProducesAProgram) {
  auto spec = allow_by_default();
  spec.syscalls.push_back(rule({"uname"}, "SCMP_ACT_ERRNO"));
  auto program = compile_seccomp(spec);
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  EXPECT_GT(program->instructions.size(), 3u);
  EXPECT_EQ(program->flags, 0u);
  // Every classic-BPF seccomp program ends in a return.
  EXPECT_EQ(BPF_CLASS(program->instructions.back().code), BPF_RET);
}

TEST(CompileSeccomp, AcceptsEveryActionButNotify) {
  for (const char* action : {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                             "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_LOG"}) {
    auto spec = allow_by_default();
    spec.syscalls.push_back(rule({"getppid"}, action));
    auto program = compile_seccomp(spec);
    EXPECT_TRUE(program.ok()) << action << ": " << program.error().to_string();

    spec = oci::Seccomp{};
    spec.default_action = action;
    spec.syscalls.push_back(rule({"getppid"}, "SCMP_ACT_ALLOW"));
    program = compile_seccomp(spec);
    EXPECT_TRUE(program.ok()) << "default " << action << ": " << program.error().to_string();
  }
}

TEST(CompileSeccomp, AcceptsEveryOperator) {
  for (const char* op : {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE",
                         "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}) {
    auto spec = allow_by_default();
    auto r = rule({"getpriority"}, "SCMP_ACT_ERRNO");
    r.args.push_back({.index = 0, .value = 1, .value_two = 1, .op = op});
    spec.syscalls.push_back(r);
    auto program = compile_seccomp(spec);
    EXPECT_TRUE(program.ok()) << op << ": " << program.error().to_string();
  }
}

TEST(CompileSeccomp, RejectsUnknownNames) {
  auto spec = allow_by_default();
  spec.syscalls.push_back(rule({"getpid"}, "SCMP_ACT_EXPLODE"));
  expect_error(spec, ErrorCode::kInvalidArgument, "SCMP_ACT_EXPLODE");

  spec = allow_by_default();
  spec.default_action = "SCMP_ACT_NOTHING";
  expect_error(spec, ErrorCode::kInvalidArgument, "SCMP_ACT_NOTHING");

  spec = allow_by_default();
  auto r = rule({"getpid"}, "SCMP_ACT_ERRNO");
  r.args.push_back({.index = 0, .value = 1, .value_two = 0, .op = "SCMP_CMP_ABOUT"});
  spec.syscalls.push_back(r);
  expect_error(spec, ErrorCode::kInvalidArgument, "SCMP_CMP_ABOUT");

  spec = allow_by_default();
  spec.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"};
  expect_error(spec, ErrorCode::kInvalidArgument, "SCMP_ARCH_Z80");

  spec = allow_by_default();
  spec.flags = {"SECCOMP_FILTER_FLAG_FAST"};
  expect_error(spec, ErrorCode::kInvalidArgument, "SECCOMP_FILTER_FLAG_FAST");
}

TEST(CompileSeccomp, RejectsOutOfRangeArguments) {
  auto spec = allow_by_default();
  auto r = rule({"getpid"}, "SCMP_ACT_ERRNO");
  r.args.push_back({.index = 6, .value = 1, .value_two = 0, .op = "SCMP_CMP_EQ"});
  spec.syscalls.push_back(r);
  expect_error(spec, ErrorCode::kInvalidArgument, "index 6");

  spec = allow_by_default();
  r = rule({"getpid"}, "SCMP_ACT_ERRNO");
  r.errno_ret = 70000;
  spec.syscalls.push_back(r);
  expect_error(spec, ErrorCode::kInvalidArgument, "70000");
}

TEST(CompileSeccomp, ErrnoRetOnlyWithErrnoOrTrace) {
  auto spec = allow_by_default();
  auto r = rule({"getpid"}, "SCMP_ACT_KILL_PROCESS");
  r.errno_ret = 1;
  spec.syscalls.push_back(r);
  expect_error(spec, ErrorCode::kInvalidArgument, "errnoRet");

  spec = oci::Seccomp{};
  spec.default_action = "SCMP_ACT_LOG";
  spec.default_errno_ret = 1;
  expect_error(spec, ErrorCode::kInvalidArgument, "default action");

  spec = allow_by_default();
  r = rule({"getpid"}, "SCMP_ACT_TRACE");
  r.errno_ret = 7;
  spec.syscalls.push_back(r);
  EXPECT_TRUE(compile_seccomp(spec).ok());
}

TEST(CompileSeccomp, NotifyIsUnimplemented) {
  auto spec = allow_by_default();
  spec.syscalls.push_back(rule({"getpid"}, "SCMP_ACT_NOTIFY"));
  expect_error(spec, ErrorCode::kUnimplemented, "seccomp notify (listenerPath) is not supported");

  spec = oci::Seccomp{};
  spec.default_action = "SCMP_ACT_NOTIFY";
  expect_error(spec, ErrorCode::kUnimplemented, "seccomp notify (listenerPath) is not supported");

  spec = allow_by_default();
  spec.listener_path = "/run/agent.sock";
  spec.syscalls.push_back(rule({"getpid"}, "SCMP_ACT_NOTIFY"));
  expect_error(spec, ErrorCode::kUnimplemented, "seccomp notify (listenerPath) is not supported");
}

TEST(CompileSeccomp, ListenerPathWithoutNotifyIsIgnored) {
  auto spec = allow_by_default();
  spec.listener_path = "/run/agent.sock";
  spec.syscalls.push_back(rule({"getpid"}, "SCMP_ACT_ERRNO"));
  EXPECT_TRUE(compile_seccomp(spec).ok());
}

TEST(CompileSeccomp, SkipsUnknownSyscalls) {
  auto spec = allow_by_default();
  spec.syscalls.push_back(rule({"no_such_syscall", "uname", "another_one"}, "SCMP_ACT_ERRNO"));
  auto with_unknown = compile_seccomp(spec);
  ASSERT_TRUE(with_unknown.ok()) << with_unknown.error().to_string();

  spec.syscalls[0].names = {"uname"};
  auto without = compile_seccomp(spec);
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(with_unknown->instructions.size(), without->instructions.size());
}

TEST(CompileSeccomp, RuleMatchingTheDefaultActionIsDropped) {
  auto spec = allow_by_default();
  auto plain = compile_seccomp(spec);
  spec.syscalls.push_back(rule({"getpid", "uname"}, "SCMP_ACT_ALLOW"));
  auto redundant = compile_seccomp(spec);
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(redundant.ok()) << redundant.error().to_string();
  EXPECT_EQ(plain->instructions.size(), redundant->instructions.size());
}

TEST(CompileSeccomp, MultiArchFilterIsLarger) {
  auto spec = allow_by_default();
  spec.syscalls.push_back(rule({"uname", "chown32"}, "SCMP_ACT_ERRNO"));
  auto native = compile_seccomp(spec);
  spec.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  auto multi = compile_seccomp(spec);
  ASSERT_TRUE(native.ok()) << native.error().to_string();
  ASSERT_TRUE(multi.ok()) << multi.error().to_string();
#if defined(__x86_64__)
  EXPECT_GT(multi->instructions.size(), native->instructions.size());
#endif
}

TEST(CompileSeccomp, TranslatesFlags) {
  auto spec = allow_by_default();
  spec.flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  auto program = compile_seccomp(spec);
  ASSERT_TRUE(program.ok()) << program.error().to_string();
  EXPECT_EQ(program->flags, unsigned{SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW});
}

}  // namespace
}  // namespace berth::security
