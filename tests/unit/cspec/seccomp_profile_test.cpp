#include "cspec/seccomp_profile.h"

#include <gtest/gtest.h>

#include "cspec/security_opts.h"
#include "cspec/spec_seccomp.h"
#include "cspec_test_util.h"
#include "oci/runtime_spec_validate.h"
#include "security/default_seccomp_profile.h"

namespace berth::cspec {
namespace {

using Names = std::vector<std::string>;

// A profile in Docker's format with every kind of filter.
const char* kProfile = R"({
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 1,
  "archMap": [
    {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
    {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}
  ],
  "syscalls": [
    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "comment": "always"},
    {"name": "ptrace", "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PTRACE"]}},
    {"names": ["mount"], "action": "SCMP_ACT_ALLOW",
     "includes": {"caps": ["CAP_SYS_ADMIN", "CAP_SYS_CHROOT"]}},
    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
     "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
    {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
    {"names": ["set_tls"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm", "arm64"]}},
    {"names": ["sync"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["amd64"]}},
    {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
     "includes": {"minKernel": "5.3"}},
    {"names": ["futex_waitv"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "6.99"}},
    {"names": ["io_setup"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.0"}}
  ]
})";

std::vector<Names> rule_names(const oci::Seccomp& seccomp) {
  std::vector<Names> out;
  for (const auto& rule : seccomp.syscalls) out.push_back(rule.names);
  return out;
}

TEST(SeccompProfileTest, FiltersByCapsArchAndKernel) {
  HostInfo host = test::test_host();  // amd64, kernel 6.1
  auto seccomp = load_seccomp_profile(kProfile, {"CAP_CHOWN", "CAP_SYS_PTRACE"}, host);
  ASSERT_TRUE(seccomp.ok()) << seccomp.error().to_string();
  ASSERT_TRUE(seccomp->has_value());
  const oci::Seccomp& s = **seccomp;
  EXPECT_EQ(s.default_action, "SCMP_ACT_ERRNO");
  EXPECT_EQ(s.default_errno_ret, 1u);
  EXPECT_EQ(s.architectures, (Names{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}));
  EXPECT_EQ(
      rule_names(s),
      (std::vector<Names>{{"read", "write"}, {"ptrace"}, {"clone"}, {"arch_prctl"}, {"clone3"}}));
  EXPECT_EQ(s.syscalls[2].args.size(), 1u);
  EXPECT_EQ(s.syscalls[2].args[0].value, 2114060288u);
  EXPECT_EQ(s.syscalls[2].args[0].op, "SCMP_CMP_MASKED_EQ");
  EXPECT_EQ(s.syscalls[4].errno_ret, 38u);
  EXPECT_TRUE(oci::validate_spec(
                  [&] {
                    oci::Spec out;
                    out.oci_version = "1.2.0";
                    out.root = oci::Root{"/rootfs", false};
                    out.linux = oci::Linux{};
                    out.linux->seccomp = s;
                    return out;
                  }(),
                  {.require_process = false})
                  .ok());
}

TEST(SeccompProfileTest, AllIncludedCapsAreNeededAndAnyExcludedCapRemoves) {
  HostInfo host = test::test_host();
  auto seccomp = load_seccomp_profile(kProfile, {"CAP_SYS_ADMIN", "CAP_SYS_CHROOT"}, host);
  ASSERT_TRUE(seccomp.ok());
  auto names = rule_names(**seccomp);
  EXPECT_NE(std::find(names.begin(), names.end(), Names{"mount"}), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), Names{"clone"}), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), Names{"ptrace"}), names.end());
}

TEST(SeccompProfileTest, OtherArchitectureAndOlderKernel) {
  HostInfo host = test::test_host();
  host.arch = "arm64";
  host.kernel_major = 5;
  host.kernel_minor = 4;
  auto seccomp = load_seccomp_profile(kProfile, {}, host);
  ASSERT_TRUE(seccomp.ok());
  EXPECT_EQ((*seccomp)->architectures, (Names{"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}));
  EXPECT_EQ(rule_names(**seccomp),
            (std::vector<Names>{
                {"read", "write"}, {"clone"}, {"set_tls"}, {"sync"}, {"clone3"}, {"io_setup"}}));
}

TEST(SeccompProfileTest, ArchitecturesListPassesThrough) {
  auto seccomp = load_seccomp_profile(
      R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
          "flags":["SECCOMP_FILTER_FLAG_LOG"],
          "syscalls":[{"names":["kexec_load"],"action":"SCMP_ACT_ERRNO"}]})",
      {}, test::test_host());
  ASSERT_TRUE(seccomp.ok()) << seccomp.error().to_string();
  EXPECT_EQ((*seccomp)->architectures, (Names{"SCMP_ARCH_X86_64"}));
  EXPECT_EQ((*seccomp)->flags, (Names{"SECCOMP_FILTER_FLAG_LOG"}));
  EXPECT_EQ((*seccomp)->default_action, "SCMP_ACT_ALLOW");
}

TEST(SeccompProfileTest, EmptyProfileMeansNoFilter) {
  auto seccomp = load_seccomp_profile("{}", {}, test::test_host());
  ASSERT_TRUE(seccomp.ok());
  EXPECT_FALSE(seccomp->has_value());
}

TEST(SeccompProfileTest, DockersErrors) {
  struct Case {
    const char* profile;
    const char* error;
  };
  const Case cases[] = {
      {"{not json", "Decoding seccomp profile failed: "},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86"],
           "archMap":[{"architecture":"SCMP_ARCH_X86_64"}]})",
       "both 'architectures' and 'archMap' are specified in the seccomp profile, use either "
       "'architectures' or 'archMap'"},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]})",
       "both 'name' and 'names' are specified in the seccomp profile, use either 'name' or "
       "'names'"},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"5"}}]})",
       "invalid kernel version: \"5\", expected \"<kernel>.<major>\""},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"0.0"}}]})",
       "invalid kernel version: \"0.0\", expected \"<kernel>.<major>\": version cannot be 0.0"},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":"read"})",
       "Decoding seccomp profile failed: json: cannot unmarshal string into Go struct field "
       "seccomp.Seccomp.syscalls of type []*seccomp.Syscall"},
  };
  for (const Case& c : cases) {
    auto seccomp = load_seccomp_profile(c.profile, {}, test::test_host());
    ASSERT_FALSE(seccomp.ok()) << c.profile;
    EXPECT_EQ(seccomp.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_TRUE(seccomp.error().message().starts_with(c.error)) << seccomp.error().message();
  }
}

TEST(SpecSeccompTest, Selection) {
  HostInfo host = test::test_host();
  Names caps = {"CAP_CHOWN"};
  auto pick = [&](const char* profile, bool privileged) {
    SecurityOptions security;
    security.seccomp_profile = profile;
    return container_seccomp(security, privileged, caps, host);
  };
  auto plain = pick("", false);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(**plain, security::docker_default_seccomp(caps));
  EXPECT_FALSE(pick("unconfined", false)->has_value());
  EXPECT_FALSE(pick("", true)->has_value());
  EXPECT_EQ(**pick("builtin", false), security::docker_default_seccomp(caps));
  auto custom = pick(R"({"defaultAction":"SCMP_ACT_LOG"})", true);
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ((*custom)->default_action, "SCMP_ACT_LOG");
  host.seccomp = false;
  EXPECT_FALSE(pick("", false)->has_value());
  auto refused = pick(R"({"defaultAction":"SCMP_ACT_LOG"})", false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(),
            "seccomp is not enabled in your kernel, cannot run a custom seccomp profile");
  host.seccomp = true;
  host.daemon.seccomp_profile = "unconfined";
  EXPECT_FALSE(pick("", false)->has_value());
}

}  // namespace
}  // namespace berth::cspec
