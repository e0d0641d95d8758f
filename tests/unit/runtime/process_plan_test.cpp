#include "runtime/process_plan.h"

#include <limits.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

#include "oci/runtime_spec_json.h"

namespace berth::runtime {
namespace {

oci::Process process(const std::string& json) {
  auto p = oci::parse_process(Json::parse(json));
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  return p.ok() ? *p : oci::Process{};
}

TEST(ProcessPlanTest, ArgvEnvCredentialsAndLimits) {
  auto plan = make_process_plan(process(R"({"args": ["sh", "-c", "true"], "cwd": "/tmp",
      "env": ["PATH=/opt/bin::/bin", "A=b"],
      "user": {"uid": 7, "gid": 8, "additionalGids": [9, 10], "umask": 18},
      "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 20}],
      "noNewPrivileges": true, "oomScoreAdj": -5,
      "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]}})"),
                                std::nullopt, 2);
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  ASSERT_EQ(plan->argv.size(), 3u);
  EXPECT_STREQ(plan->argv.data()[2], "true");
  EXPECT_EQ(plan->argv.data()[3], nullptr);
  EXPECT_EQ(plan->envp.size(), 2u);
  // PATH entries for the executable lookup; an empty one means the cwd.
  EXPECT_EQ(plan->search_path.strings(), (std::vector<std::string>{"/opt/bin", ".", "/bin"}));
  EXPECT_EQ(plan->cwd, "/tmp");
  EXPECT_EQ(plan->uid, 7u);
  EXPECT_EQ(plan->gid, 8u);
  EXPECT_EQ(plan->additional_gids, (std::vector<gid_t>{9, 10}));
  EXPECT_EQ(*plan->umask, static_cast<mode_t>(022));
  ASSERT_EQ(plan->rlimits.size(), 1u);
  EXPECT_EQ(plan->rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(plan->rlimits[0].limit.rlim_cur, 10u);
  EXPECT_EQ(plan->rlimits[0].limit.rlim_max, 20u);
  EXPECT_TRUE(plan->no_new_privileges);
  EXPECT_EQ(*plan->oom_score_adj, -5);
  EXPECT_TRUE(plan->has_capabilities);
  EXPECT_EQ(plan->capabilities.bounding, uint64_t{1} << 5);
  EXPECT_EQ(plan->preserve_fds, 2);
  EXPECT_FALSE(plan->has_seccomp);
}

TEST(ProcessPlanTest, DefaultsAndErrors) {
  auto plan = make_process_plan(process(R"({"args": ["x"], "cwd": "/"})"), std::nullopt, 0);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->umask.has_value());
  EXPECT_FALSE(plan->has_capabilities);
  EXPECT_EQ(plan->search_path.size(), 6u);  // the default PATH
  auto bad_limit = make_process_plan(
      process(
          R"({"args": ["x"], "cwd": "/", "rlimits": [{"type": "RLIMIT_X", "soft": 1, "hard": 1}]})"),
      std::nullopt, 0);
  ASSERT_FALSE(bad_limit.ok());
  EXPECT_NE(bad_limit.error().to_string().find("RLIMIT_X"), std::string::npos);
  auto bad_sched = make_process_plan(
      process(R"({"args": ["x"], "cwd": "/", "scheduler": {"policy": "SCHED_NOPE"}})"),
      std::nullopt, 0);
  ASSERT_FALSE(bad_sched.ok());
  EXPECT_NE(bad_sched.error().to_string().find("process.scheduler"), std::string::npos);
}

TEST(ProcessPlanTest, SeccompIsCompiledBeforeTheClone) {
  oci::Seccomp seccomp;
  seccomp.default_action = "SCMP_ACT_ALLOW";
  oci::SeccompSyscall rule;
  rule.names = {"mkdir"};
  rule.action = "SCMP_ACT_ERRNO";
  seccomp.syscalls.push_back(rule);
  auto plan = make_process_plan(process(R"({"args": ["x"], "cwd": "/"})"), seccomp, 0);
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  EXPECT_TRUE(plan->has_seccomp);
  EXPECT_FALSE(plan->seccomp.instructions.empty());
}

TEST(ProcessPlanTest, ExecutableLookupLikeExecLookPath) {
  auto plan = make_process_plan(process(R"({"args": ["sh"], "cwd": "/",
      "env": ["PATH=/nonexistent:/bin:/usr/bin"]})"),
                                std::nullopt, 0);
  ASSERT_TRUE(plan.ok());
  char out[PATH_MAX];
  ASSERT_EQ(lookup_executable(*plan, out, sizeof out), 0);
  EXPECT_STREQ(out, "/bin/sh");
  auto missing = make_process_plan(process(R"({"args": ["no-such-program-x"], "cwd": "/",
      "env": ["PATH=/bin"]})"),
                                   std::nullopt, 0);
  EXPECT_EQ(lookup_executable(*missing, out, sizeof out), kNotFoundInPath);
  auto dir = make_process_plan(process(R"({"args": ["/tmp"], "cwd": "/"})"), std::nullopt, 0);
  EXPECT_EQ(lookup_executable(*dir, out, sizeof out), -EACCES);
  auto absent =
      make_process_plan(process(R"({"args": ["/no/such"], "cwd": "/"})"), std::nullopt, 0);
  EXPECT_EQ(lookup_executable(*absent, out, sizeof out), -ENOENT);
}

}  // namespace
}  // namespace berth::runtime
