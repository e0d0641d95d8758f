#include "cspec/capabilities_tweak.h"

#include <gtest/gtest.h>

#include "security/capabilities.h"

namespace berth::cspec {
namespace {

using Caps = std::vector<std::string>;

TEST(CapabilitiesTweakTest, DefaultsAreDockersFourteen) {
  auto caps = container_capabilities({}, {}, false, 40);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(*caps, security::docker_default_capabilities());
  EXPECT_EQ(caps->size(), 14u);
}

TEST(CapabilitiesTweakTest, AddAndDropAcceptDockerSpellings) {
  auto caps =
      container_capabilities({"net_admin", "CAP_SYS_PTRACE"}, {"chown", "Cap_Kill"}, false, 40);
  ASSERT_TRUE(caps.ok()) << caps.error().to_string();
  EXPECT_EQ(std::count(caps->begin(), caps->end(), "CAP_CHOWN"), 0);
  EXPECT_EQ(std::count(caps->begin(), caps->end(), "CAP_KILL"), 0);
  EXPECT_EQ(caps->at(caps->size() - 2), "CAP_NET_ADMIN");
  EXPECT_EQ(caps->back(), "CAP_SYS_PTRACE");
  EXPECT_EQ(caps->size(), 14u);
}

TEST(CapabilitiesTweakTest, DropAllKeepsOnlyAdds) {
  auto caps = container_capabilities({"NET_ADMIN"}, {"ALL"}, false, 40);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(*caps, (Caps{"CAP_NET_ADMIN"}));
}

TEST(CapabilitiesTweakTest, AddAllMinusDrops) {
  auto caps = container_capabilities({"all"}, {"SYS_ADMIN"}, false, 40);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(caps->size(), 40u);
  EXPECT_EQ(std::count(caps->begin(), caps->end(), "CAP_SYS_ADMIN"), 0);
  EXPECT_EQ(caps->front(), "CAP_CHOWN");
}

TEST(CapabilitiesTweakTest, AddingADefaultDoesNotDuplicate) {
  auto caps = container_capabilities({"CHOWN"}, {}, false, 40);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(*caps, security::docker_default_capabilities());
}

TEST(CapabilitiesTweakTest, PrivilegedGetsEveryCapabilityTheKernelHas) {
  auto caps = container_capabilities({}, {"ALL"}, true, 37);
  ASSERT_TRUE(caps.ok());
  EXPECT_EQ(*caps, security::all_capabilities(37));
}

TEST(CapabilitiesTweakTest, UnknownAndUnsupportedCapabilities) {
  auto unknown = container_capabilities({"FOO"}, {}, false, 40);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().message(), "unknown capability: \"CAP_FOO\"");
  auto unsupported = container_capabilities({"BPF"}, {}, false, 37);
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.error().message(),
            "capability not supported by your kernel or not available in the current environment: "
            "\"CAP_BPF\"");
}

}  // namespace
}  // namespace berth::cspec
