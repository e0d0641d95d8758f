// The cgroup v1 manager against a temp dir laid out like /sys/fs/cgroup on a v1 host.
#include <signal.h>

#include <gtest/gtest.h>

#include "cgroup_test_util.h"
#include "cgroups/manager.h"

namespace berth::cgroups {
namespace {

class V1ManagerTest : public CgroupFsTest {
 protected:
  void SetUp() override {
    CgroupFsTest::SetUp();
    layout_ =
        make_v1_layout(root_, {"cpu,cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
                               "pids", "hugetlb", "net_cls,net_prio", "rdma", "name=systemd"});
    for (const auto& mount : layout_.v1_mount_dirs()) put(mount, "cgroup.procs");
    // apply() always programs the device list.
    put(dir("devices"), "devices.allow");
    put(dir("devices"), "devices.deny");
    // The kernel gives every cpuset cgroup these files, empty in a new one.
    put(at("cpuset"), "cpuset.cpus", "0-3\n");
    put(at("cpuset"), "cpuset.mems", "0\n");
    for (const char* level : {"cpuset/berth", "cpuset/berth/c1"}) {
      put(at(level), "cpuset.cpus", "");
      put(at(level), "cpuset.mems", "");
    }
    auto manager = make_manager(layout_, "/berth/c1");
    ASSERT_OK(manager);
    manager_ = std::move(*manager);
  }
  // The container's directory in a hierarchy ("memory", "cpu,cpuacct").
  std::string dir(const std::string& hierarchy) { return at(hierarchy + "/berth/c1"); }
  Status apply(const oci::Resources& r) { return manager_->apply(r); }
  // Which of two recorded writes came first.
  size_t index_of(const std::string& suffix, const std::string& value) {
    const auto& writes = recorder_.writes();
    for (size_t i = 0; i < writes.size(); ++i) {
      if (writes[i].path.ends_with(suffix) && writes[i].value == value) return i;
    }
    ADD_FAILURE() << "no write of " << value << " to " << suffix;
    return writes.size();
  }

  Layout layout_;
  std::unique_ptr<Manager> manager_;
};

oci::Resources memory(std::optional<int64_t> limit, std::optional<int64_t> swap) {
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = limit;
  r.memory->swap = swap;
  return r;
}

TEST_F(V1ManagerTest, CreateMakesTheCgroupInEveryHierarchy) {
  EXPECT_EQ(manager_->path(), "/berth/c1");
  ASSERT_OK(manager_->create());
  for (const auto& d : manager_->dirs()) EXPECT_TRUE(path_exists(d)) << d;
  EXPECT_EQ(manager_->dirs().size(), 11u);  // cpu,cpuacct and net_cls,net_prio count once
  EXPECT_TRUE(path_exists(dir("name=systemd")));
  ASSERT_OK(manager_->create());  // again: nothing to do
}

TEST_F(V1ManagerTest, CreateCopiesEmptyCpusetsDownFromTheParent) {
  put(at("cpuset/berth"), "cpuset.cpus", "0-1\n");  // the parent already has its own cpus
  ASSERT_OK(manager_->create());
  EXPECT_EQ(get(at("cpuset/berth"), "cpuset.cpus"), "0-1\n");  // left alone
  EXPECT_EQ(get(at("cpuset/berth"), "cpuset.mems"), "0");
  EXPECT_EQ(get(dir("cpuset"), "cpuset.cpus"), "0-1");
  EXPECT_EQ(get(dir("cpuset"), "cpuset.mems"), "0");
}

TEST_F(V1ManagerTest, RaisingMemoryWritesMemswFirst) {
  put(dir("memory"), "memory.limit_in_bytes", "1000\n");
  put(dir("memory"), "memory.memsw.limit_in_bytes", "2000\n");
  ASSERT_OK(apply(memory(3000, 6000)));
  EXPECT_LT(index_of("memory.memsw.limit_in_bytes", "6000"),
            index_of("memory.limit_in_bytes", "3000"));
  EXPECT_EQ(get(dir("memory"), "memory.limit_in_bytes"), "3000");
  EXPECT_EQ(get(dir("memory"), "memory.memsw.limit_in_bytes"), "6000");
}

TEST_F(V1ManagerTest, LoweringMemoryWritesTheLimitFirst) {
  put(dir("memory"), "memory.limit_in_bytes", "8000\n");
  put(dir("memory"), "memory.memsw.limit_in_bytes", "16000\n");
  ASSERT_OK(apply(memory(1000, 2000)));
  EXPECT_LT(index_of("memory.limit_in_bytes", "1000"),
            index_of("memory.memsw.limit_in_bytes", "2000"));
}

TEST_F(V1ManagerTest, UnlimitedMemoryAlsoLiftsMemsw) {
  put(dir("memory"), "memory.limit_in_bytes", "1000\n");
  put(dir("memory"), "memory.memsw.limit_in_bytes", "2000\n");
  ASSERT_OK(apply(memory(-1, std::nullopt)));
  EXPECT_LT(index_of("memory.memsw.limit_in_bytes", "-1"), index_of("memory.limit_in_bytes", "-1"));
}

TEST_F(V1ManagerTest, SwapIsSkippedWithoutSwapAccounting) {
  put(dir("memory"), "memory.limit_in_bytes", "1000\n");
  ASSERT_OK(apply(memory(3000, 6000)));
  EXPECT_EQ(get(dir("memory"), "memory.limit_in_bytes"), "3000");
  EXPECT_TRUE(recorder_.values_for("memory.memsw.limit_in_bytes").empty());
  ASSERT_OK(apply(memory(-1, std::nullopt)));
  EXPECT_TRUE(recorder_.values_for("memory.memsw.limit_in_bytes").empty());
}

TEST_F(V1ManagerTest, OtherMemorySettings) {
  for (const char* f : {"memory.soft_limit_in_bytes", "memory.oom_control", "memory.swappiness"})
    put(dir("memory"), f);
  oci::Resources r;
  r.memory.emplace();
  r.memory->reservation = 512;
  r.memory->disable_oom_killer = true;
  r.memory->swappiness = 60;
  r.memory->kernel = 4096;  // ignored with a warning
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("memory"), "memory.soft_limit_in_bytes"), "512");
  EXPECT_EQ(get(dir("memory"), "memory.oom_control"), "1");
  EXPECT_EQ(get(dir("memory"), "memory.swappiness"), "60");
  r.memory->swappiness = 101;
  auto status = apply(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("swappiness"), std::string::npos);
}

TEST_F(V1ManagerTest, ZeroesChangeNothing) {
  // `runc update -r` JSON carries zeroes for everything not given.
  oci::Resources r = memory(0, 0);
  r.memory->reservation = 0;
  r.cpu.emplace();
  r.cpu->shares = 0;
  r.cpu->quota = 0;
  r.cpu->period = 0;
  ASSERT_OK(manager_->update(r));
  EXPECT_TRUE(recorder_.writes().empty());
}

TEST_F(V1ManagerTest, Cpu) {
  for (const char* f : {"cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.cfs_burst_us",
                        "cpu.idle", "cpu.rt_period_us", "cpu.rt_runtime_us"})
    put(dir("cpu,cpuacct"), f);
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->burst = 10000;
  r.cpu->idle = 1;
  r.cpu->realtime_period = 1000000;
  r.cpu->realtime_runtime = 950000;
  ASSERT_OK(apply(r));
  auto d = dir("cpu,cpuacct");
  EXPECT_EQ(get(d, "cpu.shares"), "512");
  EXPECT_EQ(get(d, "cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(get(d, "cpu.cfs_period_us"), "100000");
  EXPECT_EQ(get(d, "cpu.cfs_burst_us"), "10000");
  EXPECT_EQ(get(d, "cpu.idle"), "1");
  EXPECT_EQ(get(d, "cpu.rt_period_us"), "1000000");
  EXPECT_EQ(get(d, "cpu.rt_runtime_us"), "950000");
}

TEST_F(V1ManagerTest, RejectedPeriodIsRetriedAfterTheQuota) {
  put(dir("cpu,cpuacct"), "cpu.cfs_period_us");
  put(dir("cpu,cpuacct"), "cpu.cfs_quota_us");
  recorder_.fail("cpu.cfs_period_us", EINVAL);
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->quota = 5000;
  r.cpu->period = 10000;
  ASSERT_OK(apply(r));
  EXPECT_EQ(recorder_.values_for("cpu.cfs_period_us"),
            (std::vector<std::string>{"10000", "10000"}));
  EXPECT_LT(index_of("cpu.cfs_quota_us", "5000"), recorder_.writes().size() - 1);
  EXPECT_EQ(get(dir("cpu,cpuacct"), "cpu.cfs_period_us"), "10000");
  // Without a quota to make room, the rejection stands.
  recorder_.fail("cpu.cfs_period_us", EINVAL);
  r.cpu->quota.reset();
  EXPECT_FALSE(apply(r).ok());
}

TEST_F(V1ManagerTest, CpusetAndPids) {
  put(dir("cpuset"), "cpuset.cpus");
  put(dir("cpuset"), "cpuset.mems");
  put(dir("pids"), "pids.max");
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->cpus = "0-1";
  r.cpu->mems = "0";
  r.pids = oci::PidsResources{100};
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("cpuset"), "cpuset.cpus"), "0-1");
  EXPECT_EQ(get(dir("cpuset"), "cpuset.mems"), "0");
  EXPECT_EQ(get(dir("pids"), "pids.max"), "100");
  r.pids = oci::PidsResources{0};
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir("pids"), "pids.max"), "max");
  r.pids = oci::PidsResources{-1};
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir("pids"), "pids.max"), "max");
}

TEST_F(V1ManagerTest, BlkioUsesCfqFilesWhenPresent) {
  for (const char* f :
       {"blkio.weight", "blkio.weight_device", "blkio.leaf_weight", "blkio.leaf_weight_device",
        "blkio.throttle.read_bps_device", "blkio.throttle.write_iops_device"})
    put(dir("blkio"), f);
  oci::Resources r;
  r.block_io.emplace();
  r.block_io->weight = 300;
  r.block_io->leaf_weight = 200;
  r.block_io->weight_device = {{8, 0, 500, 100}};
  r.block_io->throttle_read_bps_device = {{8, 0, 1048576}, {8, 16, 2097152}};
  r.block_io->throttle_write_iops_device = {{8, 0, 100}};
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("blkio"), "blkio.weight"), "300");
  EXPECT_EQ(get(dir("blkio"), "blkio.leaf_weight"), "200");
  EXPECT_EQ(get(dir("blkio"), "blkio.weight_device"), "8:0 500");
  EXPECT_EQ(get(dir("blkio"), "blkio.leaf_weight_device"), "8:0 100");
  EXPECT_EQ(recorder_.values_for("blkio.throttle.read_bps_device"),
            (std::vector<std::string>{"8:0 1048576", "8:16 2097152"}));
  EXPECT_EQ(get(dir("blkio"), "blkio.throttle.write_iops_device"), "8:0 100");
}

TEST_F(V1ManagerTest, BlkioFallsBackToBfq) {
  put(dir("blkio"), "blkio.bfq.weight");
  put(dir("blkio"), "blkio.bfq.weight_device");
  oci::Resources r;
  r.block_io.emplace();
  r.block_io->weight = 300;
  r.block_io->weight_device = {{8, 0, 500, std::nullopt}};
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("blkio"), "blkio.bfq.weight"), "300");
  EXPECT_EQ(get(dir("blkio"), "blkio.bfq.weight_device"), "8:0 500");
}

TEST_F(V1ManagerTest, Hugetlb) {
  put(dir("hugetlb"), "hugetlb.2MB.limit_in_bytes");
  put(dir("hugetlb"), "hugetlb.2MB.rsvd.limit_in_bytes");
  put(dir("hugetlb"), "hugetlb.1GB.limit_in_bytes");
  put(dir("hugetlb"), "hugetlb.1GB.rsvd.limit_in_bytes");
  oci::Resources r;
  r.hugepage_limits = {{"2MB", 4194304}, {"1GB", 0}};
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("hugetlb"), "hugetlb.2MB.limit_in_bytes"), "4194304");
  EXPECT_EQ(get(dir("hugetlb"), "hugetlb.2MB.rsvd.limit_in_bytes"), "4194304");
  EXPECT_EQ(get(dir("hugetlb"), "hugetlb.1GB.limit_in_bytes"), "0");
  r.hugepage_limits = {{"64KB", 1}};
  auto status = apply(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("64KB"), std::string::npos);
}

TEST_F(V1ManagerTest, NetworkAndRdma) {
  put(dir("net_cls,net_prio"), "net_cls.classid");
  put(dir("net_cls,net_prio"), "net_prio.ifpriomap");
  put(dir("rdma"), "rdma.max");
  oci::Resources r;
  r.network = oci::NetworkResources{0x100001, {{"eth0", 5}, {"lo", 2}}};
  r.rdma["mlx5_0"] = {10, std::nullopt};
  ASSERT_OK(apply(r));
  EXPECT_EQ(get(dir("net_cls,net_prio"), "net_cls.classid"), "1048577");
  EXPECT_EQ(recorder_.values_for("net_prio.ifpriomap"),
            (std::vector<std::string>{"eth0 5", "lo 2"}));
  EXPECT_EQ(get(dir("rdma"), "rdma.max"), "mlx5_0 hca_handle=10");
}

TEST_F(V1ManagerTest, DevicesDenyAllThenRulesInOrder) {
  put(dir("devices"), "devices.allow");
  put(dir("devices"), "devices.deny");
  oci::Resources r;
  r.devices = {{false, "", {}, {}, "rwm"},
               {true, "c", 1, 3, "rwm"},
               {true, "c", 136, {}, "rw"},
               {false, "c", 1, 3, "m"}};
  ASSERT_OK(apply(r));
  std::vector<std::string> lines;
  for (const auto& w : recorder_.writes()) lines.push_back(basename(w.path) + " " + w.value);
  EXPECT_EQ(lines, (std::vector<std::string>{"devices.deny a", "devices.deny a *:* rwm",
                                             "devices.allow c 1:3 rwm", "devices.allow c 136:* rw",
                                             "devices.deny c 1:3 m"}));
}

TEST_F(V1ManagerTest, EmptyDeviceListDeniesAllAtCreateButNotOnUpdate) {
  put(dir("devices"), "devices.deny");
  ASSERT_OK(apply({}));
  EXPECT_EQ(recorder_.values_for("devices.deny"), (std::vector<std::string>{"a"}));
  recorder_.clear();
  ASSERT_OK(manager_->update({}));
  EXPECT_TRUE(recorder_.writes().empty());
}

TEST_F(V1ManagerTest, InvalidDeviceRuleWritesNothing) {
  put(dir("devices"), "devices.deny");
  oci::Resources r;
  r.devices = {{true, "c", 1, 3, "rwm"}, {true, "q", 1, 3, "rwm"}};
  EXPECT_FALSE(apply(r).ok());
  EXPECT_TRUE(recorder_.writes().empty());
}

TEST_F(V1ManagerTest, UnifiedNeedsCgroupV2) {
  oci::Resources r;
  r.unified["memory.high"] = "1000";
  auto status = apply(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("unified resources need cgroup v2"), std::string::npos);
}

TEST_F(V1ManagerTest, AMissingControllerIsNamed) {
  auto manager = make_manager(make_v1_layout(root_, {"memory"}), "/berth/c1");
  ASSERT_OK(manager);
  oci::Resources r;
  r.hugepage_limits = {{"2MB", 1}};
  auto status = (*manager)->apply(r);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(status.error().message().find("hugepageLimits"), std::string::npos);
  EXPECT_NE(status.error().message().find("hugetlb"), std::string::npos);
  r = {};
  r.network = oci::NetworkResources{1, {}};
  status = (*manager)->apply(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("net_cls"), std::string::npos);
}

TEST_F(V1ManagerTest, AddProcessWritesEveryHierarchyOnce) {
  ASSERT_OK(manager_->create());
  for (const auto& d : manager_->dirs()) put(d, "cgroup.procs");
  ASSERT_OK(manager_->add_process(4242));
  EXPECT_EQ(recorder_.values_for("cgroup.procs").size(), 11u);
  EXPECT_EQ(get(dir("cpu,cpuacct"), "cgroup.procs"), "4242");
  EXPECT_EQ(get(dir("name=systemd"), "cgroup.procs"), "4242");
}

TEST_F(V1ManagerTest, FreezeThawAndProcesses) {
  put(dir("freezer"), "freezer.state", "THAWED\n");
  put(dir("freezer"), "cgroup.procs", "10\n11\n");
  put(dir("freezer") + "/sub", "cgroup.procs", "12\n");
  ASSERT_OK(manager_->freeze());
  EXPECT_EQ(get(dir("freezer"), "freezer.state"), "FROZEN");
  EXPECT_TRUE(*manager_->is_frozen());
  put(dir("freezer"), "freezer.self_freezing", "0\n");  // frozen only through an ancestor
  EXPECT_FALSE(*manager_->is_frozen());
  ASSERT_OK(manager_->thaw());
  EXPECT_FALSE(*manager_->is_frozen());
  EXPECT_EQ(*manager_->processes(), (std::vector<pid_t>{10, 11, 12}));
}

TEST_F(V1ManagerTest, SignalAllFreezesAroundTheSignal) {
  put(dir("freezer"), "freezer.state", "THAWED\n");
  put(dir("freezer"), "cgroup.procs", "");
  ASSERT_OK(manager_->signal_all(SIGTERM));
  EXPECT_EQ(recorder_.values_for("freezer.state"), (std::vector<std::string>{"FROZEN", "THAWED"}));
}

TEST_F(V1ManagerTest, Stats) {
  auto mem = dir("memory");
  put(mem, "memory.stat", "cache 4096\nrss 8192\nhierarchical_memory_limit 9223372036854771712\n");
  put(mem, "memory.usage_in_bytes", "12288\n");
  put(mem, "memory.max_usage_in_bytes", "20480\n");
  put(mem, "memory.failcnt", "3\n");
  put(mem, "memory.limit_in_bytes", "1048576\n");
  put(mem, "memory.memsw.usage_in_bytes", "16384\n");
  put(mem, "memory.memsw.max_usage_in_bytes", "24576\n");
  put(mem, "memory.memsw.failcnt", "0\n");
  put(mem, "memory.memsw.limit_in_bytes", "2097152\n");
  put(mem, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
  auto cpu = dir("cpu,cpuacct");
  put(cpu, "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 123456\n");
  put(cpu, "cpuacct.usage", "5000000\n");
  put(cpu, "cpuacct.usage_percpu", "3000000 2000000 \n");
  put(cpu, "cpuacct.usage_all", "cpu user system\n0 2500000 500000\n1 1500000 500000\n");
  put(cpu, "cpuacct.stat", "user 30\nsystem 20\n");
  put(dir("pids"), "pids.current", "3\n");
  put(dir("pids"), "pids.max", "max\n");
  put(dir("blkio"), "blkio.throttle.io_service_bytes_recursive",
      "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");
  put(dir("blkio"), "blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
  auto huge = dir("hugetlb");
  put(huge, "hugetlb.2MB.limit_in_bytes", "9223372036854771712\n");
  put(huge, "hugetlb.2MB.rsvd.limit_in_bytes", "9223372036854771712\n");
  put(huge, "hugetlb.2MB.usage_in_bytes", "2097152\n");
  put(huge, "hugetlb.2MB.max_usage_in_bytes", "4194304\n");
  put(huge, "hugetlb.2MB.failcnt", "1\n");

  auto stats = manager_->stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->memory.cache, 4096u);
  EXPECT_EQ(stats->memory.raw.at("rss"), 8192u);
  EXPECT_EQ(stats->memory.usage.usage, 12288u);
  EXPECT_EQ(stats->memory.usage.max, 20480u);
  EXPECT_EQ(stats->memory.usage.failcnt, 3u);
  EXPECT_EQ(stats->memory.usage.limit, 1048576u);
  EXPECT_EQ(stats->memory.swap.usage, 16384u);
  EXPECT_EQ(stats->memory.swap.limit, 2097152u);
  EXPECT_EQ(stats->memory.kernel.usage, 0u);  // no kmem files: left zero
  EXPECT_EQ(stats->cpu.throttling.periods, 10u);
  EXPECT_EQ(stats->cpu.throttling.throttled_periods, 4u);
  EXPECT_EQ(stats->cpu.throttling.throttled_time, 123456u);
  EXPECT_EQ(stats->cpu.usage.total, 5000000u);
  EXPECT_EQ(stats->cpu.usage.percpu, (std::vector<uint64_t>{3000000, 2000000}));
  EXPECT_EQ(stats->cpu.usage.percpu_user, (std::vector<uint64_t>{2500000, 1500000}));
  EXPECT_EQ(stats->cpu.usage.percpu_kernel, (std::vector<uint64_t>{500000, 500000}));
  long hz = ::sysconf(_SC_CLK_TCK);
  EXPECT_EQ(stats->cpu.usage.user, uint64_t{30} * 1000000000 / static_cast<uint64_t>(hz));
  EXPECT_EQ(stats->cpu.usage.kernel, uint64_t{20} * 1000000000 / static_cast<uint64_t>(hz));
  EXPECT_EQ(stats->pids.current, 3u);
  EXPECT_EQ(stats->pids.limit, 0u);
  ASSERT_EQ(stats->blkio.io_service_bytes_recursive.size(), 3u);
  EXPECT_EQ(stats->blkio.io_service_bytes_recursive[1].op, "Write");
  EXPECT_EQ(stats->blkio.io_service_bytes_recursive[1].value, 8192u);
  EXPECT_EQ(stats->blkio.io_serviced_recursive.size(), 2u);
  ASSERT_EQ(stats->hugetlb.size(), 1u);
  EXPECT_EQ(stats->hugetlb.at("2MB").usage, 2097152u);
  EXPECT_EQ(stats->hugetlb.at("2MB").max, 4194304u);
  EXPECT_EQ(stats->hugetlb.at("2MB").failcnt, 1u);
  EXPECT_EQ(*manager_->oom_kill_count(), 2u);
}

TEST_F(V1ManagerTest, DestroyRemovesEverythingAndIsIdempotent) {
  ASSERT_OK(manager_->create());
  put(dir("memory") + "/nested", "cgroup.procs");
  ASSERT_OK(manager_->destroy());
  for (const auto& d : manager_->dirs()) EXPECT_FALSE(path_exists(d)) << d;
  EXPECT_TRUE(path_exists(at("memory/berth")));  // the shared parent stays
  ASSERT_OK(manager_->destroy());
}

TEST_F(V1ManagerTest, NoCloneIntoCgroup) {
  EXPECT_FALSE(manager_->open_unified_dir().ok());
}

TEST(ManagerFactoryTest, RefusesUncleanPaths) {
  auto layout = make_v2_layout("/tmp/none");
  EXPECT_FALSE(make_manager(layout, "relative").ok());
  EXPECT_FALSE(make_manager(layout, "/").ok());
  EXPECT_FALSE(make_manager(layout, "/a/../b").ok());
  EXPECT_TRUE(make_manager(layout, "/a/b").ok());
}

}  // namespace
}  // namespace berth::cgroups
