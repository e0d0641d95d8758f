#include "cgroups/device_rules.h"

#include <gtest/gtest.h>

namespace berth::cgroups {
namespace {

oci::DeviceCgroupRule rule(bool allow, std::string type, std::optional<int64_t> major,
                           std::optional<int64_t> minor, std::string access) {
  return {allow, std::move(type), major, minor, std::move(access)};
}

DevicePolicy compile(const std::vector<oci::DeviceCgroupRule>& rules) {
  auto policy = compile_device_rules(rules);
  EXPECT_TRUE(policy.ok()) << policy.error().to_string();
  return policy.value_or({});
}

TEST(DeviceRulesTest, EmptyListDeniesEverything) {
  EXPECT_EQ(compile({}), (DevicePolicy{false, {}}));
}

TEST(DeviceRulesTest, AllowsBecomeExceptionsOfDenyAll) {
  auto policy = compile({rule(false, "a", {}, {}, "rwm"), rule(true, "c", 1, 3, "rwm"),
                         rule(true, "c", 1, 5, "r"), rule(true, "b", {}, {}, "m")});
  EXPECT_FALSE(policy.default_allow);
  ASSERT_EQ(policy.exceptions.size(), 3u);
  EXPECT_EQ(policy.exceptions[0], (DeviceException{'c', 1, 3, kDeviceAllAccess}));
  EXPECT_EQ(policy.exceptions[1], (DeviceException{'c', 1, 5, kDeviceRead}));
  EXPECT_EQ(policy.exceptions[2], (DeviceException{'b', {}, {}, kDeviceMknod}));
}

TEST(DeviceRulesTest, AccessToTheSameDeviceMerges) {
  auto policy = compile({rule(true, "c", 1, 3, "r"), rule(true, "c", 1, 3, "w")});
  ASSERT_EQ(policy.exceptions.size(), 1u);
  EXPECT_EQ(policy.exceptions[0].access, kDeviceRead | kDeviceWrite);
}

TEST(DeviceRulesTest, DenyingUnderDenyAllRemovesAccess) {
  auto policy = compile({rule(true, "c", 1, 3, "rwm"), rule(false, "c", 1, 3, "w")});
  ASSERT_EQ(policy.exceptions.size(), 1u);
  EXPECT_EQ(policy.exceptions[0].access, kDeviceRead | kDeviceMknod);
  policy = compile({rule(true, "c", 1, 3, "rw"), rule(false, "c", 1, 3, "rwm")});
  EXPECT_TRUE(policy.exceptions.empty());
}

TEST(DeviceRulesTest, AllowAllResetsAndDenyBecomesAnException) {
  auto policy = compile(
      {rule(true, "c", 1, 3, "rwm"), rule(true, "", {}, {}, ""), rule(false, "c", 1, 3, "w")});
  EXPECT_TRUE(policy.default_allow);
  ASSERT_EQ(policy.exceptions.size(), 1u);
  EXPECT_EQ(policy.exceptions[0], (DeviceException{'c', 1, 3, kDeviceWrite}));
}

TEST(DeviceRulesTest, TypeAResetsWhateverItsNumbers) {
  // The v1 kernel reads only the 'a' of "a 1:3 r".
  auto policy = compile({rule(true, "c", 1, 3, "rwm"), rule(false, "a", 1, 3, "r")});
  EXPECT_EQ(policy, (DevicePolicy{false, {}}));
}

TEST(DeviceRulesTest, InvalidRulesAreRefused) {
  EXPECT_FALSE(compile_device_rules({rule(true, "x", {}, {}, "rwm")}).ok());
  EXPECT_FALSE(compile_device_rules({rule(true, "c", 1, 3, "rwx")}).ok());
  EXPECT_FALSE(compile_device_rules({rule(true, "c", -5, 3, "r")}).ok());
  EXPECT_FALSE(compile_device_rules({rule(true, "c", int64_t{1} << 33, 3, "r")}).ok());
  // -1 is a common spelling of "any".
  EXPECT_TRUE(compile_device_rules({rule(true, "c", -1, -1, "r")}).ok());
}

TEST(DeviceRulesTest, V1Lines) {
  auto line = [](const oci::DeviceCgroupRule& r) {
    return device_rule_line(*normalize_device_rule(r));
  };
  EXPECT_EQ(line(rule(true, "c", 1, 3, "rwm")), "c 1:3 rwm");
  EXPECT_EQ(line(rule(true, "b", 8, {}, "r")), "b 8:* r");
  EXPECT_EQ(line(rule(true, "c", {}, {}, "m")), "c *:* m");
  EXPECT_EQ(line(rule(false, "", {}, {}, "")), "a *:* rwm");
  EXPECT_EQ(line(rule(true, "c", 1, 5, "")), "c 1:5 rwm");
}

}  // namespace
}  // namespace berth::cgroups
