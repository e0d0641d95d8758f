#include "security/capabilities.h"

#include <linux/capability.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

namespace berth::security {
namespace {

TEST(CapabilityNames, RoundTripEveryKnownCapability) {
  for (int cap = 0; cap <= kMaxKnownCap; ++cap) {
    std::string_view name = capability_name(cap);
    ASSERT_FALSE(name.empty()) << cap;
    EXPECT_TRUE(name.starts_with("CAP_")) << name;
    EXPECT_EQ(capability_from_name(name), cap) << name;
  }
}

TEST(CapabilityNames, MatchKernelNumbers) {
  EXPECT_EQ(capability_from_name("CAP_CHOWN"), CAP_CHOWN);
  EXPECT_EQ(capability_from_name("CAP_NET_RAW"), CAP_NET_RAW);
  EXPECT_EQ(capability_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_from_name("CAP_SETFCAP"), CAP_SETFCAP);
  EXPECT_EQ(capability_from_name("CAP_AUDIT_READ"), CAP_AUDIT_READ);
  EXPECT_EQ(capability_from_name("CAP_PERFMON"), CAP_PERFMON);
  EXPECT_EQ(capability_from_name("CAP_BPF"), CAP_BPF);
  EXPECT_EQ(capability_from_name("CAP_CHECKPOINT_RESTORE"), CAP_CHECKPOINT_RESTORE);
  EXPECT_EQ(kMaxKnownCap, CAP_LAST_CAP);
}

TEST(CapabilityNames, RejectsUnknownAndMisspelled) {
  EXPECT_EQ(capability_from_name(""), std::nullopt);
  EXPECT_EQ(capability_from_name("CAP_NOPE"), std::nullopt);
  EXPECT_EQ(capability_from_name("CHOWN"), std::nullopt);
  EXPECT_EQ(capability_from_name("cap_chown"), std::nullopt);
  EXPECT_EQ(capability_from_name("CAP_CHOWN "), std::nullopt);
  EXPECT_TRUE(capability_name(-1).empty());
  EXPECT_TRUE(capability_name(kMaxKnownCap + 1).empty());
}

TEST(CapabilityNames, AcceptsDockerSpellings) {
  for (std::string_view name : {"CHOWN", "chown", "Chown", "CAP_CHOWN", "cap_chown"}) {
    EXPECT_EQ(capability_from_docker_name(name), CAP_CHOWN) << name;
  }
  EXPECT_EQ(capability_from_docker_name("sys_admin"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_from_docker_name("ALL"), std::nullopt);
  EXPECT_EQ(capability_from_docker_name("bogus"), std::nullopt);
  EXPECT_EQ(normalize_capability_name("net_admin"), "CAP_NET_ADMIN");
  EXPECT_EQ(normalize_capability_name("CAP_NET_ADMIN"), "CAP_NET_ADMIN");
  EXPECT_EQ(normalize_capability_name("nope"), std::nullopt);
}

TEST(KernelLastCap, MatchesProc) {
  std::ifstream in("/proc/sys/kernel/cap_last_cap");
  int expected = -1;
  if (!(in >> expected)) GTEST_SKIP() << "no /proc/sys/kernel/cap_last_cap";
  EXPECT_EQ(kernel_last_cap(), expected);
  EXPECT_EQ(kernel_last_cap(), expected);  // cached
}

TEST(DefaultCapabilities, AreDockersFourteen) {
  auto caps = docker_default_capabilities();
  std::set<std::string> got(caps.begin(), caps.end());
  std::set<std::string> want = {
      "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
      "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
      "CAP_KILL",    "CAP_AUDIT_WRITE"};
  EXPECT_EQ(caps.size(), 14u);
  EXPECT_EQ(got, want);
  for (const auto& name : caps) EXPECT_TRUE(capability_from_name(name).has_value()) << name;
}

TEST(AllCapabilities, StopAtTheKernelsLastCap) {
  auto all = all_capabilities(40);
  ASSERT_EQ(all.size(), 41u);
  EXPECT_EQ(all.front(), "CAP_CHOWN");
  EXPECT_EQ(all.back(), "CAP_CHECKPOINT_RESTORE");
  auto older = all_capabilities(37);
  ASSERT_EQ(older.size(), 38u);
  EXPECT_EQ(older.back(), "CAP_AUDIT_READ");
  EXPECT_EQ(all_capabilities().size(), static_cast<size_t>(kernel_last_cap() + 1));
}

TEST(CapabilitySetsFromSpec, ComputesEachSet) {
  oci::Capabilities spec;
  spec.bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_BPF"};
  spec.effective = {"CAP_CHOWN", "CAP_KILL"};
  spec.permitted = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  spec.inheritable = {"CAP_NET_BIND_SERVICE"};
  spec.ambient = {"CAP_NET_BIND_SERVICE"};
  auto sets = capability_sets_from_spec(spec, 40);
  ASSERT_TRUE(sets.ok()) << sets.error().to_string();
  EXPECT_EQ(sets->bounding, (1ULL << CAP_CHOWN) | (1ULL << CAP_KILL) |
                                (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_BPF));
  EXPECT_EQ(sets->effective, (1ULL << CAP_CHOWN) | (1ULL << CAP_KILL));
  EXPECT_EQ(sets->permitted,
            (1ULL << CAP_CHOWN) | (1ULL << CAP_KILL) | (1ULL << CAP_NET_BIND_SERVICE));
  EXPECT_EQ(sets->inheritable, 1ULL << CAP_NET_BIND_SERVICE);
  EXPECT_EQ(sets->ambient, 1ULL << CAP_NET_BIND_SERVICE);
}

TEST(CapabilitySetsFromSpec, EmptySpecIsEmpty) {
  auto sets = capability_sets_from_spec(oci::Capabilities{}, 40);
  ASSERT_TRUE(sets.ok());
  EXPECT_EQ(sets->bounding | sets->effective | sets->permitted | sets->inheritable | sets->ambient,
            0u);
}

TEST(CapabilitySetsFromSpec, UnknownNameIsAnErrorNamingIt) {
  oci::Capabilities spec;
  spec.effective = {"CAP_CHOWN", "CAP_FLY"};
  auto sets = capability_sets_from_spec(spec, 40);
  ASSERT_FALSE(sets.ok());
  EXPECT_EQ(sets.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(sets.error().message().find("CAP_FLY"), std::string::npos) << sets.error().message();
  EXPECT_NE(sets.error().message().find("effective"), std::string::npos);

  spec.effective = {"chown"};  // Docker's spelling is not the spec's
  EXPECT_FALSE(capability_sets_from_spec(spec, 40).ok());
}

TEST(CapabilitySetsFromSpec, SkipsCapabilitiesTheKernelLacks) {
  oci::Capabilities spec;
  spec.bounding = {"CAP_CHOWN", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"};
  auto sets = capability_sets_from_spec(spec, CAP_AUDIT_READ);
  ASSERT_TRUE(sets.ok());
  EXPECT_EQ(sets->bounding, 1ULL << CAP_CHOWN);
}

TEST(CapabilitySetsFromSpec, DropsAmbientThatCannotBeRaised) {
  oci::Capabilities spec;
  spec.permitted = {"CAP_KILL", "CAP_CHOWN"};
  spec.inheritable = {"CAP_KILL", "CAP_NET_RAW"};
  spec.ambient = {"CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"};
  auto sets = capability_sets_from_spec(spec, 40);
  ASSERT_TRUE(sets.ok());
  EXPECT_EQ(sets->ambient, 1ULL << CAP_KILL);
}

}  // namespace
}  // namespace berth::security
