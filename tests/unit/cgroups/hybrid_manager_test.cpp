// The hybrid manager against a temp dir laid out like this project's machines: v1 hierarchies
// (cpu and cpuacct apart) plus cgroup2 at unified/ holding only hugetlb.
#include "cgroups/hybrid_manager.h"

#include <signal.h>

#include <array>

#include <gtest/gtest.h>

#include "cgroup_test_util.h"

namespace berth::cgroups {
namespace {

constexpr std::array<const char*, 9> kHierarchies = {
    "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd"};

class HybridManagerTest : public CgroupFsTest {
 protected:
  void SetUp() override {
    CgroupFsTest::SetUp();
    layout_ = make_hybrid_layout(root_, {kHierarchies.begin(), kHierarchies.end()}, {"hugetlb"});
    for (const auto& dir : layout_.v1_mount_dirs()) put(dir, "cgroup.procs");
    put(at("unified"), "cgroup.controllers", "hugetlb\n");
    put(at("unified"), "cgroup.subtree_control", "");
    put(v1("devices"), "devices.deny");
    put(v1("devices"), "devices.allow");
    put(unified(), "cgroup.controllers", "hugetlb\n");
    // The kernel gives every cpuset cgroup these files, empty in a new one.
    put(at("cpuset"), "cpuset.cpus", "0-1\n");
    put(at("cpuset"), "cpuset.mems", "0\n");
    for (const char* level : {"cpuset/berth", "cpuset/berth/c1"}) {
      put(at(level), "cpuset.cpus", "");
      put(at(level), "cpuset.mems", "");
    }
    auto manager = make_manager(layout_, "/berth/c1");
    ASSERT_OK(manager);
    manager_ = std::move(*manager);
  }
  std::string v1(const std::string& hierarchy) { return at(hierarchy + "/berth/c1"); }
  std::string unified() { return at("unified/berth/c1"); }

  Layout layout_;
  std::unique_ptr<Manager> manager_;
};

TEST_F(HybridManagerTest, CreateCoversEveryHierarchyAndEnablesHugetlb) {
  ASSERT_OK(manager_->create());
  auto dirs = manager_->dirs();
  EXPECT_EQ(dirs.size(), kHierarchies.size() + 1);
  EXPECT_EQ(dirs.back(), unified());
  for (const auto& d : dirs) EXPECT_TRUE(path_exists(d)) << d;
  EXPECT_EQ(get(at("unified"), "cgroup.subtree_control"), "+hugetlb");
}

TEST_F(HybridManagerTest, ProcessesJoinTheUnifiedCgroupToo) {
  ASSERT_OK(manager_->create());
  for (const auto& d : manager_->dirs()) put(d, "cgroup.procs");
  ASSERT_OK(manager_->add_process(99));
  EXPECT_EQ(get(unified(), "cgroup.procs"), "99");
  EXPECT_EQ(get(v1("cpuacct"), "cgroup.procs"), "99");
  EXPECT_EQ(recorder_.values_for("cgroup.procs").size(), kHierarchies.size() + 1);
}

TEST_F(HybridManagerTest, HugetlbGoesToUnifiedEverythingElseToV1) {
  put(unified(), "hugetlb.2MB.max");
  put(unified(), "hugetlb.2MB.rsvd.max");
  put(v1("memory"), "memory.limit_in_bytes", "9223372036854771712\n");
  put(v1("cpu"), "cpu.shares");
  put(v1("pids"), "pids.max");
  oci::Resources r;
  r.hugepage_limits = {{"2MB", 8388608}};
  r.memory.emplace();
  r.memory->limit = 1 << 20;
  r.cpu.emplace();
  r.cpu->shares = 256;
  r.pids = oci::PidsResources{32};
  ASSERT_OK(manager_->apply(r));
  EXPECT_EQ(get(unified(), "hugetlb.2MB.max"), "8388608");
  EXPECT_EQ(get(v1("memory"), "memory.limit_in_bytes"), "1048576");
  EXPECT_EQ(get(v1("cpu"), "cpu.shares"), "256");
  EXPECT_EQ(get(v1("pids"), "pids.max"), "32");
  // Devices stay with the v1 controller: no eBPF program.
  EXPECT_EQ(recorder_.values_for("devices.deny"), std::vector<std::string>{"a"});
  EXPECT_TRUE(recorder_.device_programs().empty());
}

TEST_F(HybridManagerTest, UnifiedKeysMustNameCgroup2Controllers) {
  put(unified(), "hugetlb.2MB.max");
  oci::Resources r;
  r.unified["hugetlb.2MB.max"] = "4096";
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(unified(), "hugetlb.2MB.max"), "4096");
  r.unified["memory.max"] = "4096";
  auto status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("bound to cgroup v1"), std::string::npos);
}

TEST_F(HybridManagerTest, WithoutV1DevicesTheEbpfProgramGuards) {
  auto layout = make_hybrid_layout(root_, {"memory", "freezer"}, {"hugetlb"});
  auto manager = make_manager(layout, "/berth/c1");
  ASSERT_OK(manager);
  oci::Resources r;
  r.devices = {{true, "c", 1, 3, "rw"}};
  ASSERT_OK((*manager)->apply(r));
  ASSERT_EQ(recorder_.device_programs().size(), 1u);
  EXPECT_EQ(recorder_.device_programs()[0].dir, unified());
}

TEST_F(HybridManagerTest, SplitSendsCpusetAndCpuApart) {
  auto layout = make_hybrid_layout(root_, {"cpu", "memory"}, {"cpuset", "io"});
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->shares = 100;
  r.cpu->cpus = "0";
  r.block_io.emplace();
  r.block_io->weight = 100;
  r.network = oci::NetworkResources{1, {}};
  auto split = split_hybrid_resources(layout, r);
  ASSERT_OK(split);
  ASSERT_TRUE(split->v1.cpu && split->v2.cpu);
  EXPECT_EQ(split->v1.cpu->shares, 100u);
  EXPECT_TRUE(split->v1.cpu->cpus.empty());
  EXPECT_EQ(split->v2.cpu->cpus, "0");
  EXPECT_FALSE(split->v2.cpu->shares);
  EXPECT_TRUE(split->v2.block_io.has_value());  // no v1 blkio, cgroup2 has io
  EXPECT_TRUE(split->v1.network.has_value());   // net_cls exists only in v1 (and errors there)
}

TEST_F(HybridManagerTest, FreezeUsesTheV1Freezer) {
  put(v1("freezer"), "freezer.state", "THAWED\n");
  ASSERT_OK(manager_->freeze());
  EXPECT_EQ(get(v1("freezer"), "freezer.state"), "FROZEN");
  EXPECT_TRUE(*manager_->is_frozen());
  ASSERT_OK(manager_->thaw());
  EXPECT_FALSE(*manager_->is_frozen());
}

TEST_F(HybridManagerTest, SigkillUsesUnifiedCgroupKill) {
  put(unified(), "cgroup.kill");
  ASSERT_OK(manager_->signal_all(SIGKILL));
  EXPECT_EQ(get(unified(), "cgroup.kill"), "1");
  EXPECT_TRUE(recorder_.values_for("freezer.state").empty());
}

TEST_F(HybridManagerTest, StatsMergeBothSides) {
  put(v1("memory"), "memory.stat", "cache 1\n");
  put(v1("memory"), "memory.usage_in_bytes", "100\n");
  put(v1("cpuacct"), "cpuacct.usage", "777\n");
  put(v1("cpuacct"), "cpuacct.usage_percpu", "777\n");
  put(v1("cpuacct"), "cpuacct.stat", "user 0\nsystem 0\n");
  put(v1("cpu"), "cpu.stat", "nr_periods 1\nnr_throttled 0\nthrottled_time 0\n");
  put(v1("pids"), "pids.current", "1\n");
  put(v1("pids"), "pids.max", "max\n");
  // cgroup2's cpu.stat exists without the cpu controller; v1's cpuacct must win.
  put(unified(), "cpu.stat", "usage_usec 1\nuser_usec 1\nsystem_usec 0\n");
  put(unified(), "hugetlb.2MB.max", "max\n");
  put(unified(), "hugetlb.2MB.current", "4096\n");
  put(unified(), "hugetlb.2MB.events", "max 0\n");
  auto stats = manager_->stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->memory.usage.usage, 100u);
  EXPECT_EQ(stats->cpu.usage.total, 777u);
  EXPECT_EQ(stats->cpu.throttling.periods, 1u);
  EXPECT_EQ(stats->hugetlb.at("2MB").usage, 4096u);
}

TEST_F(HybridManagerTest, DestroyBothSides) {
  ASSERT_OK(manager_->create());
  ASSERT_OK(manager_->destroy());
  for (const auto& d : manager_->dirs()) EXPECT_FALSE(path_exists(d)) << d;
  EXPECT_FALSE(manager_->open_unified_dir().ok());
}

}  // namespace
}  // namespace berth::cgroups
