#include "cspec/devices.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "cspec/spec_devices.h"
#include "cspec_test_util.h"

namespace berth::cspec {
namespace {

using test::TempDir;

TEST(DevicesTest, DeviceFromHostPathTakesItsNumbersModeAndOwner) {
  auto set = devices_from_path("/dev/null", "/dev/xnull", "rwm");
  ASSERT_TRUE(set.ok()) << set.error().to_string();
  ASSERT_EQ(set->devices.size(), 1u);
  const oci::Device& d = set->devices[0];
  EXPECT_EQ(d.type, "c");
  EXPECT_EQ(d.path, "/dev/xnull");
  EXPECT_EQ(d.major, 1);
  EXPECT_EQ(d.minor, 3);
  EXPECT_EQ(d.file_mode, 0666u);
  EXPECT_EQ(d.uid, 0u);
  ASSERT_EQ(set->rules.size(), 1u);
  EXPECT_TRUE(set->rules[0].allow);
  EXPECT_EQ(set->rules[0].type, "c");
  EXPECT_EQ(set->rules[0].major, 1);
  EXPECT_EQ(set->rules[0].minor, 3);
  EXPECT_EQ(set->rules[0].access, "rwm");
}

TEST(DevicesTest, SymlinkIsFollowedToTheNode) {
  TempDir dir;
  dir.symlink("zero", "/dev/zero");
  auto set = devices_from_path(dir / "zero", "/dev/myzero", "r");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->devices[0].minor, 5);
  EXPECT_EQ(set->rules[0].access, "r");
}

TEST(DevicesTest, DirectoryAddsEveryNodeBeneathIt) {
  // devpts always holds its ptmx node (5:2).
  auto set = devices_from_path("/dev/pts", "/dev/mypts", "rw");
  ASSERT_TRUE(set.ok()) << set.error().to_string();
  bool found = false;
  for (const auto& d : set->devices) {
    EXPECT_TRUE(d.path.starts_with("/dev/mypts/")) << d.path;
    if (d.path == "/dev/mypts/ptmx") {
      found = true;
      EXPECT_EQ(d.major, 5);
      EXPECT_EQ(d.minor, 2);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(set->rules.size(), set->devices.size());
  EXPECT_EQ(set->rules[0].access, "rw");
}

TEST(DevicesTest, DirectoryWithoutNodesIsAnError) {
  TempDir dir;
  dir.symlink("d/null", "/dev/null");  // symlinks inside are not nodes
  dir.write("d/file", "x");
  auto missing = devices_from_path(dir / "d", "/dev/d", "rwm");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "error gathering device information while adding custom device \"" + (dir / "d") +
                "\": not a device node");
}

TEST(DevicesTest, MissingPathIsDockersError) {
  auto set = devices_from_path("/dev/does-not-exist", "/dev/x", "rwm");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().message(),
            "error gathering device information while adding custom device "
            "\"/dev/does-not-exist\": No such file or directory");
}

TEST(DevicesTest, HostDevicesSkipsPtsShmAndConsole) {
  auto devices = host_devices("/dev");
  ASSERT_TRUE(devices.ok()) << devices.error().to_string();
  bool has_null = false;
  for (const auto& d : *devices) {
    EXPECT_FALSE(d.path.starts_with("/dev/pts/")) << d.path;
    EXPECT_FALSE(d.path.starts_with("/dev/shm/")) << d.path;
    EXPECT_NE(d.path, "/dev/console");
    EXPECT_NE(d.type, "p");
    if (d.path == "/dev/null") {
      has_null = true;
      EXPECT_EQ(d.major, 1);
      EXPECT_EQ(d.minor, 3);
    }
  }
  EXPECT_TRUE(has_null);
}

TEST(DevicesTest, CgroupRules) {
  auto rule = parse_device_cgroup_rule("c 1:3 mr");
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->allow);
  EXPECT_EQ(rule->type, "c");
  EXPECT_EQ(rule->major, 1);
  EXPECT_EQ(rule->minor, 3);
  EXPECT_EQ(rule->access, "mr");
  auto any = parse_device_cgroup_rule("a *:* rwm");
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(any->major.has_value());
  EXPECT_FALSE(any->minor.has_value());
  for (const char* bad :
       {"c 1:3", "x 1:3 rwm", "c 1:3 rwmx", "c a:3 r", "c 1-3 r", "c  1:3 r", "c 1:3 q", ""}) {
    auto parsed = parse_device_cgroup_rule(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().message(),
              std::string("invalid device cgroup rule format: '") + bad + "'");
  }
}

TEST(DevicesTest, MappingChecks) {
  EXPECT_TRUE(validate_device_mapping({"/dev/fuse", "/dev/fuse", "rwm"}).ok());
  auto relative = validate_device_mapping({"dev/fuse", "/dev/fuse", "rwm"});
  EXPECT_EQ(relative.error().message(), "dev/fuse is not an absolute path");
  auto mode = validate_device_mapping({"/dev/fuse", "/dev/fuse", "rwx"});
  EXPECT_EQ(mode.error().message(), "bad mode specified: rwx");
  EXPECT_FALSE(validate_device_mapping({"/dev/fuse", "/dev/fuse", "rr"}).ok());
}

TEST(DevicesTest, ContainerDevicesPutsDefaultsFirst) {
  Json hc = {{"Devices",
              {{{"PathOnHost", "/dev/null"}, {"PathInContainer", ""}, {"CgroupPermissions", ""}}}},
             {"DeviceCgroupRules", {"c 10:200 rwm"}}};
  auto devices = container_devices(hc, test::test_host());
  ASSERT_TRUE(devices.ok()) << devices.error().to_string();
  ASSERT_EQ(devices->devices.size(), 1u);
  EXPECT_EQ(devices->devices[0].path, "/dev/null");
  auto defaults = docker_default_device_rules();
  ASSERT_EQ(devices->rules.size(), defaults.size() + 2);
  EXPECT_FALSE(devices->rules.front().allow);
  EXPECT_EQ(devices->rules[defaults.size()].access, "rwm");
  EXPECT_EQ(devices->rules.back().major, 10);
}

TEST(DevicesTest, PrivilegedAllowsEverything) {
  TempDir dir;
  dir.mkdir("dev/pts");
  dir.write("dev/regular", "");
  ASSERT_EQ(::mkfifo((dir / "dev/fifo").c_str(), 0644), 0);
  test::TempDir unused;
  HostInfo host = test::test_host();
  host.dev_dir = dir / "dev";
  Json hc = {{"Privileged", true},
             {"Devices",
              {{{"PathOnHost", "/dev/null"},
                {"PathInContainer", "/dev/xnull"},
                {"CgroupPermissions", "r"}},
               {{"PathOnHost", "/dev/zero"},
                {"PathInContainer", "/dev/zero"},
                {"CgroupPermissions", "rwm"}}}}};
  auto devices = container_devices(hc, host);
  ASSERT_TRUE(devices.ok()) << devices.error().to_string();
  ASSERT_EQ(devices->devices.size(), 1u);  // the host dir has no nodes; /dev/zero is "there"
  EXPECT_EQ(devices->devices[0].path, "/dev/xnull");
  ASSERT_EQ(devices->rules.size(), 1u);
  EXPECT_TRUE(devices->rules[0].allow);
  EXPECT_EQ(devices->rules[0].type, "");
  EXPECT_EQ(devices->rules[0].access, "rwm");
}

}  // namespace
}  // namespace berth::cspec
