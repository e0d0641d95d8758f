#include "sys/mountinfo.h"

#include <gtest/gtest.h>

namespace berth::sys {
namespace {

constexpr std::string_view kMountinfo =
    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "30 22 0:25 / /var/lib/berth rw shared:12 - tmpfs tmpfs rw\n"
    "31 30 0:26 / /var/lib/berth/bundles/c1/rootfs rw shared:13 - overlay overlay rw\n"
    "40 22 0:27 / /tmp/with\\040space rw - tmpfs tmpfs rw\n"
    "41 22 0:28 / /var/lib/berth rw - tmpfs tmpfs rw\n";

TEST(MountinfoTest, UnescapesOctalSequencesOnly) {
  EXPECT_EQ(unescape_mountinfo_field("/a\\040b\\011c\\134d"), "/a b\tc\\d");
  EXPECT_EQ(unescape_mountinfo_field("/a\\04"), "/a\\04");
  EXPECT_EQ(unescape_mountinfo_field("/a\\xyz"), "/a\\xyz");
}

TEST(MountinfoTest, LongestAncestorMountPointWins) {
  EXPECT_EQ(containing_mount_point(kMountinfo, "/var/lib/berth/bundles/c1/rootfs"),
            "/var/lib/berth/bundles/c1/rootfs");
  EXPECT_EQ(containing_mount_point(kMountinfo, "/var/lib/berth/bundles/c1/rootfs/etc"),
            "/var/lib/berth/bundles/c1/rootfs");
  EXPECT_EQ(containing_mount_point(kMountinfo, "/var/lib/berth/bundles/c2/rootfs"),
            "/var/lib/berth");
  EXPECT_EQ(containing_mount_point(kMountinfo, "/tmp/with space/x"), "/tmp/with space");
  // A sibling whose name merely starts with a mount point's is not under it.
  EXPECT_EQ(containing_mount_point(kMountinfo, "/var/lib/berthx"), "/");
  EXPECT_EQ(containing_mount_point(kMountinfo, "/"), "/");
}

TEST(MountinfoTest, CallingProcessRootIsAMountPoint) {
  auto point = containing_mount_point("/proc/self");
  ASSERT_TRUE(point.ok()) << point.error().to_string();
  EXPECT_EQ(*point, "/proc");
  EXPECT_FALSE(containing_mount_point("/nonexistent/berth/path").ok());
}

}  // namespace
}  // namespace berth::sys
