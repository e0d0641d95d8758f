// The cgroup v2 manager against a temp dir laid out like a pure v2 /sys/fs/cgroup.
#include <signal.h>

#include <gtest/gtest.h>

#include "cgroup_test_util.h"
#include "cgroups/conversions.h"
#include "cgroups/device_bpf.h"
#include "cgroups/manager.h"

namespace berth::cgroups {
namespace {

constexpr char kControllers[] = "cpuset cpu io memory hugetlb pids rdma\n";

class V2ManagerTest : public CgroupFsTest {
 protected:
  void SetUp() override {
    CgroupFsTest::SetUp();
    put(root_, "cgroup.controllers", kControllers);
    put(root_, "cgroup.subtree_control", "");
    // What the kernel shows inside the new cgroup once the parents enabled everything.
    put(dir(), "cgroup.controllers", kControllers);
    auto manager = make_manager(make_v2_layout(root_), "/berth/c1");
    ASSERT_OK(manager);
    manager_ = std::move(*manager);
  }
  std::string dir() { return at("berth/c1"); }
  // Creates the named files in the container's cgroup.
  void files(std::initializer_list<const char*> names) {
    for (const char* name : names) put(dir(), name);
  }

  std::unique_ptr<Manager> manager_;
};

TEST_F(V2ManagerTest, CreateEnablesControllersDownToTheParent) {
  put(at("berth"), "cgroup.controllers", kControllers);
  put(at("berth"), "cgroup.subtree_control", "memory\n");  // already enabled stays out
  ASSERT_OK(manager_->create());
  EXPECT_TRUE(path_exists(dir()));
  EXPECT_EQ(get(root_, "cgroup.subtree_control"), "+cpuset +cpu +io +memory +hugetlb +pids +rdma");
  EXPECT_EQ(get(at("berth"), "cgroup.subtree_control"), "+cpuset +cpu +io +hugetlb +pids +rdma");
  EXPECT_FALSE(path_exists(dir() + "/cgroup.subtree_control"));  // never in the leaf
  EXPECT_EQ(manager_->dirs(), std::vector<std::string>{dir()});
}

TEST_F(V2ManagerTest, OneRefusedControllerDoesNotBlockTheOthers) {
  recorder_.fail("/cgroup.subtree_control", EINVAL, 2);  // the batch, then "+cpuset"
  put(at("berth"), "cgroup.controllers", "");
  ASSERT_OK(manager_->create());
  auto writes = recorder_.values_for("cgroup.subtree_control");
  ASSERT_EQ(writes.size(), 8u);
  EXPECT_EQ(writes[1], "+cpuset");
  EXPECT_EQ(get(root_, "cgroup.subtree_control"), "+rdma");  // the last single write
}

TEST_F(V2ManagerTest, MemoryConvertsSwapAndWritesItFirst) {
  files({"memory.max", "memory.swap.max", "memory.low"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  r.memory->swap = 3000;
  r.memory->reservation = 500;
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.swap.max"), "2000");
  EXPECT_EQ(get(dir(), "memory.max"), "1000");
  EXPECT_EQ(get(dir(), "memory.low"), "500");
  EXPECT_TRUE(recorder_.writes()[0].path.ends_with("memory.swap.max"));

  r.memory->swap = 1000;  // memory+swap == memory: no swap
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.swap.max"), "0");

  r.memory->limit = -1;
  r.memory->swap.reset();
  r.memory->reservation.reset();
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.swap.max"), "max");
  EXPECT_EQ(get(dir(), "memory.max"), "max");
}

TEST_F(V2ManagerTest, SwapAloneIsMeasuredAgainstTheCurrentLimit) {
  put(dir(), "memory.max", "1000\n");
  files({"memory.swap.max"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->swap = 2500;
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.swap.max"), "1500");
  put(dir(), "memory.max", "max\n");
  EXPECT_FALSE(manager_->update(r).ok());  // no limit to subtract
}

TEST_F(V2ManagerTest, BadSwapIsRefused) {
  files({"memory.max", "memory.swap.max"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 2000;
  r.memory->swap = 1000;
  auto status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("memory+swap"), std::string::npos);
}

TEST_F(V2ManagerTest, NoSwapAccountingIsFineForMaxAndZero) {
  files({"memory.max"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = -1;
  ASSERT_OK(manager_->update(r));
  r.memory->limit = 1000;
  r.memory->swap = 3000;
  EXPECT_FALSE(manager_->update(r).ok());  // a real swap limit must not vanish silently
}

TEST_F(V2ManagerTest, CheckBeforeUpdate) {
  files({"memory.max"});
  put(dir(), "memory.current", "5000\n");
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 4000;
  r.memory->check_before_update = true;
  EXPECT_FALSE(manager_->update(r).ok());
  r.memory->limit = 6000;
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.max"), "6000");
}

TEST_F(V2ManagerTest, V1OnlyMemoryKnobsOnlyWarn) {
  oci::Resources r;
  r.memory.emplace();
  r.memory->disable_oom_killer = true;
  r.memory->swappiness = 10;
  r.memory->kernel = 1 << 20;
  ASSERT_OK(manager_->update(r));
  EXPECT_TRUE(recorder_.writes().empty());
}

TEST_F(V2ManagerTest, Cpu) {
  files({"cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle"});
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->burst = 20000;
  r.cpu->idle = 0;
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "cpu.weight"), "100");
  EXPECT_EQ(get(dir(), "cpu.max"), "50000 100000");
  EXPECT_EQ(get(dir(), "cpu.max.burst"), "20000");
  EXPECT_EQ(get(dir(), "cpu.idle"), "0");

  oci::Resources period_only;
  period_only.cpu.emplace();
  period_only.cpu->period = 200000;
  ASSERT_OK(manager_->update(period_only));
  EXPECT_EQ(get(dir(), "cpu.max"), "max 200000");

  oci::Resources quota_only;
  quota_only.cpu.emplace();
  quota_only.cpu->quota = 25000;
  ASSERT_OK(manager_->update(quota_only));
  EXPECT_EQ(get(dir(), "cpu.max"), "25000");
  quota_only.cpu->quota = -1;
  ASSERT_OK(manager_->update(quota_only));
  EXPECT_EQ(get(dir(), "cpu.max"), "max");
  quota_only.cpu->shares = 2;
  ASSERT_OK(manager_->update(quota_only));
  EXPECT_EQ(get(dir(), "cpu.weight"), std::to_string(cpu_shares_to_weight(2)));
}

TEST_F(V2ManagerTest, BurstRejectedBeforeTheQuotaIsRetried) {
  files({"cpu.max", "cpu.max.burst"});
  recorder_.fail("cpu.max.burst", EINVAL);
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->quota = 50000;
  r.cpu->burst = 40000;
  ASSERT_OK(manager_->update(r));
  auto writes = recorder_.writes();
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_TRUE(writes[1].path.ends_with("cpu.max"));
  EXPECT_TRUE(writes[2].path.ends_with("cpu.max.burst"));
}

TEST_F(V2ManagerTest, RealtimeNeedsV1) {
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->realtime_runtime = 1000;
  auto status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("realtime"), std::string::npos);
}

TEST_F(V2ManagerTest, CpusetPidsHugetlbRdma) {
  files({"cpuset.cpus", "cpuset.mems", "pids.max", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max",
         "hugetlb.1GB.max", "rdma.max"});
  oci::Resources r;
  r.cpu.emplace();
  r.cpu->cpus = "1";
  r.cpu->mems = "0";
  r.pids = oci::PidsResources{64};
  r.hugepage_limits = {{"2MB", 2097152}, {"1GB", 0}};
  r.rdma["mlx5_1"] = {std::nullopt, 500};
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "cpuset.cpus"), "1");
  EXPECT_EQ(get(dir(), "cpuset.mems"), "0");
  EXPECT_EQ(get(dir(), "pids.max"), "64");
  EXPECT_EQ(get(dir(), "hugetlb.2MB.max"), "2097152");
  EXPECT_EQ(get(dir(), "hugetlb.2MB.rsvd.max"), "2097152");
  EXPECT_EQ(get(dir(), "hugetlb.1GB.max"), "0");
  EXPECT_EQ(get(dir(), "rdma.max"), "mlx5_1 hca_object=500");
}

TEST_F(V2ManagerTest, IoWeightIsConvertedUnlessBfq) {
  files({"io.weight", "io.max"});
  oci::Resources r;
  r.block_io.emplace();
  r.block_io->weight = 500;
  r.block_io->weight_device = {{8, 0, 1000, std::nullopt}};
  r.block_io->throttle_read_bps_device = {{8, 0, 1048576}};
  r.block_io->throttle_write_bps_device = {{8, 0, 2097152}};
  r.block_io->throttle_read_iops_device = {{8, 16, 100}};
  r.block_io->throttle_write_iops_device = {{8, 16, 200}};
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(recorder_.values_for("io.weight"), (std::vector<std::string>{"4950", "8:0 10000"}));
  EXPECT_EQ(recorder_.values_for("io.max"),
            (std::vector<std::string>{"8:0 rbps=1048576", "8:0 wbps=2097152", "8:16 riops=100",
                                      "8:16 wiops=200"}));
  recorder_.clear();
  files({"io.bfq.weight"});
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(recorder_.values_for("io.bfq.weight"), (std::vector<std::string>{"500", "8:0 1000"}));
}

TEST_F(V2ManagerTest, UnifiedIsWrittenLastAndChecked) {
  files({"memory.max", "memory.high", "io.max", "cgroup.max.depth"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  r.unified["memory.max"] = "2000";  // overrides the converted value
  r.unified["memory.high"] = "1500";
  r.unified["io.max"] = "8:0 rbps=10\n8:16 wbps=20\n";
  r.unified["cgroup.max.depth"] = "3";
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(get(dir(), "memory.max"), "2000");
  EXPECT_EQ(get(dir(), "memory.high"), "1500");
  EXPECT_EQ(recorder_.values_for("io.max"),
            (std::vector<std::string>{"8:0 rbps=10", "8:16 wbps=20"}));
  EXPECT_EQ(get(dir(), "cgroup.max.depth"), "3");

  for (const char* bad : {"../memory.max", "memory.max/x", "memory..max", "nodot", ".max"}) {
    oci::Resources b;
    b.unified[bad] = "1";
    auto status = manager_->update(b);
    EXPECT_FALSE(status.ok()) << bad;
  }
  oci::Resources missing;
  missing.unified["misc.max"] = "x 1";
  auto status = manager_->update(missing);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("\"misc\""), std::string::npos);
}

TEST_F(V2ManagerTest, ABadUnifiedNameWritesNothing) {
  files({"memory.max"});
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  r.unified["../escape"] = "1";
  EXPECT_FALSE(manager_->update(r).ok());
  EXPECT_TRUE(recorder_.writes().empty());
}

TEST_F(V2ManagerTest, DevicesBecomeAnEbpfProgram) {
  oci::Resources r;
  r.devices = {{false, "a", {}, {}, "rwm"}, {true, "c", 1, 3, "rwm"}};
  ASSERT_OK(manager_->apply(r));
  ASSERT_EQ(recorder_.device_programs().size(), 1u);
  EXPECT_EQ(recorder_.device_programs()[0].dir, dir());
  DevicePolicy expected{false, {{'c', 1, 3, kDeviceAllAccess}}};
  EXPECT_EQ(disassemble(recorder_.device_programs()[0].program),
            disassemble(device_policy_program(expected)));
  // update: only a non-empty list replaces the program.
  ASSERT_OK(manager_->update({}));
  EXPECT_EQ(recorder_.device_programs().size(), 1u);
  ASSERT_OK(manager_->update(r));
  EXPECT_EQ(recorder_.device_programs().size(), 2u);
  // apply with an empty list: deny everything.
  ASSERT_OK(manager_->apply({}));
  EXPECT_EQ(disassemble(recorder_.device_programs().back().program),
            disassemble(device_policy_program(DevicePolicy{})));
}

TEST_F(V2ManagerTest, MissingControllerIsNamed) {
  put(dir(), "cgroup.controllers", "cpu pids\n");
  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 1000;
  auto status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(status.error().message().find("memory: the cgroup v2 \"memory\" controller"),
            std::string::npos);
  r = {};
  r.block_io.emplace();
  r.block_io->weight = 100;
  status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("blockIO"), std::string::npos);
}

TEST_F(V2ManagerTest, NetworkNeedsV1) {
  oci::Resources r;
  r.network = oci::NetworkResources{7, {}};
  auto status = manager_->update(r);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("net_cls"), std::string::npos);
}

TEST_F(V2ManagerTest, FreezeWaitsForFrozen) {
  files({"cgroup.freeze"});
  put(dir(), "cgroup.events", "populated 1\nfrozen 1\n");
  ASSERT_OK(manager_->freeze());
  EXPECT_EQ(get(dir(), "cgroup.freeze"), "1");
  EXPECT_TRUE(*manager_->is_frozen());
  ASSERT_OK(manager_->thaw());
  EXPECT_FALSE(*manager_->is_frozen());
}

TEST_F(V2ManagerTest, SignalAllKillsThroughCgroupKill) {
  files({"cgroup.kill"});
  ASSERT_OK(manager_->signal_all(SIGKILL));
  EXPECT_EQ(get(dir(), "cgroup.kill"), "1");
  // Other signals (or kernels without cgroup.kill): freeze, signal, thaw.
  files({"cgroup.freeze", "cgroup.procs"});
  put(dir(), "cgroup.events", "frozen 1\n");
  recorder_.clear();
  ASSERT_OK(manager_->signal_all(SIGTERM));
  EXPECT_EQ(recorder_.values_for("cgroup.freeze"), (std::vector<std::string>{"1", "0"}));
}

TEST_F(V2ManagerTest, Stats) {
  put(dir(), "memory.stat", "anon 8192\nfile 4096\nkernel 1024\n");
  put(dir(), "memory.current", "12288\n");
  put(dir(), "memory.max", "max\n");
  put(dir(), "memory.peak", "16384\n");
  put(dir(), "memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\noom_group_kill 0\n");
  put(dir(), "memory.swap.current", "4096\n");
  put(dir(), "memory.swap.max", "max\n");
  put(dir(), "cpu.stat",
      "usage_usec 3000\nuser_usec 2000\nsystem_usec 1000\nnr_periods 7\nnr_throttled 2\n"
      "throttled_usec 500\n");
  put(dir(), "pids.current", "4\n");
  put(dir(), "pids.max", "100\n");
  put(dir(), "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
  put(dir(), "hugetlb.2MB.max", "max\n");
  put(dir(), "hugetlb.2MB.rsvd.max", "max\n");
  put(dir(), "hugetlb.2MB.current", "2097152\n");
  put(dir(), "hugetlb.2MB.events", "max 3\n");

  auto stats = manager_->stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->memory.cache, 4096u);
  EXPECT_EQ(stats->memory.raw.at("anon"), 8192u);
  EXPECT_EQ(stats->memory.usage.usage, 12288u);
  EXPECT_EQ(stats->memory.usage.limit, UINT64_MAX);
  EXPECT_EQ(stats->memory.usage.max, 16384u);
  EXPECT_EQ(stats->memory.usage.failcnt, 5u);
  EXPECT_EQ(stats->memory.swap.usage, 16384u);  // swap + memory, as v1 counts it
  EXPECT_EQ(stats->memory.swap.limit, UINT64_MAX);
  EXPECT_EQ(stats->cpu.usage.total, 3000000u);
  EXPECT_EQ(stats->cpu.usage.user, 2000000u);
  EXPECT_EQ(stats->cpu.usage.kernel, 1000000u);
  EXPECT_EQ(stats->cpu.throttling.periods, 7u);
  EXPECT_EQ(stats->cpu.throttling.throttled_periods, 2u);
  EXPECT_EQ(stats->cpu.throttling.throttled_time, 500000u);
  EXPECT_EQ(stats->pids.current, 4u);
  EXPECT_EQ(stats->pids.limit, 100u);
  ASSERT_EQ(stats->blkio.io_service_bytes_recursive.size(), 2u);
  EXPECT_EQ(stats->blkio.io_service_bytes_recursive[0].op, "Read");
  EXPECT_EQ(stats->blkio.io_service_bytes_recursive[0].value, 4096u);
  EXPECT_EQ(stats->blkio.io_serviced_recursive[1].value, 2u);
  ASSERT_EQ(stats->hugetlb.size(), 1u);
  EXPECT_EQ(stats->hugetlb.at("2MB").usage, 2097152u);
  EXPECT_EQ(stats->hugetlb.at("2MB").failcnt, 3u);
  EXPECT_EQ(*manager_->oom_kill_count(), 1u);
}

TEST_F(V2ManagerTest, UnifiedDirFdForCloneIntoCgroup) {
  ASSERT_OK(manager_->create());
  auto fd = manager_->open_unified_dir();
  ASSERT_OK(fd);
  EXPECT_TRUE(fd->valid());
}

TEST_F(V2ManagerTest, DestroyAndProcesses) {
  ASSERT_OK(manager_->create());
  put(dir(), "cgroup.procs", "7\n");
  EXPECT_EQ(*manager_->processes(), std::vector<pid_t>{7});
  ASSERT_OK(manager_->destroy());
  EXPECT_FALSE(path_exists(dir()));
  ASSERT_OK(manager_->destroy());
}

}  // namespace
}  // namespace berth::cgroups
