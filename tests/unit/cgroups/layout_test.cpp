#include "cgroups/layout.h"

#include <gtest/gtest.h>

#include "base/file_util.h"

namespace berth::cgroups {
namespace {

std::string data(const std::string& name) {
  auto text = read_file(std::string(BERTH_TEST_DATA_DIR) + "/" + name);
  EXPECT_TRUE(text.ok()) << name;
  return text.value_or("");
}

TEST(LayoutTest, ThisHostIsHybridWithSeparateCpuAndCpuacct) {
  auto layout = detect_layout_at(data("mountinfo_hybrid.txt"), "hugetlb\n");
  ASSERT_TRUE(layout.ok()) << layout.error().to_string();
  EXPECT_EQ(layout->mode, Mode::kHybrid);
  EXPECT_EQ(*layout->v1_dir("cpu"), "/sys/fs/cgroup/cpu");
  EXPECT_EQ(*layout->v1_dir("cpuacct"), "/sys/fs/cgroup/cpuacct");
  EXPECT_EQ(*layout->v1_dir("memory"), "/sys/fs/cgroup/memory");
  EXPECT_EQ(*layout->v1_dir("name=systemd"), "/sys/fs/cgroup/systemd");
  for (const char* c : {"cpuset", "devices", "freezer", "blkio", "pids"})
    EXPECT_TRUE(layout->has_v1(c)) << c;
  for (const char* c : {"hugetlb", "net_cls", "net_prio", "perf_event", "rdma"})
    EXPECT_FALSE(layout->has_v1(c)) << c;
  EXPECT_EQ(layout->unified, "/sys/fs/cgroup/unified");
  EXPECT_TRUE(layout->unified_has("hugetlb"));
  EXPECT_FALSE(layout->unified_has("memory"));
  EXPECT_EQ(layout->v1_mount_dirs().size(), 9u);
}

TEST(LayoutTest, PureV2) {
  auto layout =
      detect_layout_at(data("mountinfo_v2.txt"), "cpuset cpu io memory hugetlb pids rdma misc\n");
  ASSERT_TRUE(layout.ok()) << layout.error().to_string();
  EXPECT_EQ(layout->mode, Mode::kV2);
  EXPECT_TRUE(layout->v1.empty());
  EXPECT_EQ(layout->unified, "/sys/fs/cgroup");
  EXPECT_EQ(layout->unified_controllers,
            (std::vector<std::string>{"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma",
                                      "misc"}));
}

TEST(LayoutTest, PureV1WithCombinedHierarchies) {
  auto layout = detect_layout_at(data("mountinfo_v1.txt"));
  ASSERT_TRUE(layout.ok()) << layout.error().to_string();
  EXPECT_EQ(layout->mode, Mode::kV1);
  EXPECT_TRUE(layout->unified.empty());
  EXPECT_EQ(*layout->v1_dir("cpu"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(*layout->v1_dir("cpuacct"), "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(*layout->v1_dir("net_prio"), "/sys/fs/cgroup/net_cls,net_prio");
  // "xattr" and "release_agent=..." are options, not controllers.
  EXPECT_EQ(*layout->v1_dir("name=systemd"), "/sys/fs/cgroup/systemd");
  EXPECT_FALSE(layout->has_v1("xattr"));
  // Mount points are unescaped (\040 is a space).
  EXPECT_EQ(*layout->v1_dir("rdma"), "/mnt/odd dir");
  auto dirs = layout->v1_mount_dirs();
  EXPECT_EQ(std::count(dirs.begin(), dirs.end(), "/sys/fs/cgroup/cpu,cpuacct"), 1);
}

TEST(LayoutTest, NoCgroupMountIsAnError) {
  auto layout = detect_layout_at("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "");
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.error().code(), ErrorCode::kNotFound);
}

TEST(LayoutTest, ReadsTheRunningHost) {
  auto layout = detect_layout();
  ASSERT_TRUE(layout.ok()) << layout.error().to_string();
  EXPECT_TRUE(!layout->v1.empty() || !layout->unified.empty());
}

TEST(LayoutTest, InjectedLayouts) {
  auto v2 = make_v2_layout("/tmp/x", {"memory"});
  EXPECT_EQ(v2.mode, Mode::kV2);
  EXPECT_EQ(v2.unified, "/tmp/x");
  EXPECT_TRUE(v2.unified_has("memory"));

  auto v1 = make_v1_layout("/tmp/x", {"cpu,cpuacct", "memory"});
  EXPECT_EQ(v1.mode, Mode::kV1);
  EXPECT_EQ(*v1.v1_dir("cpuacct"), "/tmp/x/cpu,cpuacct");
  EXPECT_EQ(*v1.v1_dir("memory"), "/tmp/x/memory");
  EXPECT_EQ(v1.v1_mount_dirs().size(), 2u);

  auto hybrid = make_hybrid_layout("/tmp/x", {"memory"}, {"hugetlb"});
  EXPECT_EQ(hybrid.mode, Mode::kHybrid);
  EXPECT_EQ(hybrid.unified, "/tmp/x/unified");
  EXPECT_TRUE(hybrid.unified_has("hugetlb"));
  EXPECT_EQ(mode_name(hybrid.mode), "hybrid");
}

}  // namespace
}  // namespace berth::cgroups
