// The managers on the real kernel of this host (run as root by scripts/test.sh). Every test
// works under a cgroup named after this process and removes it, even when an assertion fails.
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "base/strings.h"
#include "cgroups/cgroup_file.h"
#include "cgroups/layout.h"
#include "cgroups/manager.h"

namespace berth::cgroups {
namespace {

#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    auto&& berth_assert_ok_ = (expr);                                           \
    ASSERT_TRUE(berth_assert_ok_.ok()) << berth_assert_ok_.error().to_string(); \
  } while (0)

// A forked child that waits until released, then runs `body` and exits with its result.
class Child {
 public:
  explicit Child(const std::function<int()>& body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[1]);
      char byte;
      while (::read(fds[0], &byte, 1) < 0 && errno == EINTR) {
      }
      ::_exit(body());
    }
    ::close(fds[0]);
    go_fd_ = fds[1];
  }
  ~Child() {
    if (go_fd_ >= 0) ::close(go_fd_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  void release() {
    char byte = 'g';
    (void)!::write(go_fd_, &byte, 1);
  }
  // The raw wait status.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int go_fd_ = -1;
  bool reaped_ = false;
};

int sleep_forever() {
  for (;;) ::pause();
}

// Charges the child's cgroup with some memory and CPU time (what it used before joining stays
// with the old cgroup), then sleeps.
int touch_memory_then_sleep() {
  constexpr size_t kSize = 4 << 20;
  void* memory = ::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory != MAP_FAILED) std::memset(memory, 1, kSize);
  return sleep_forever();
}

class CgroupsRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    auto layout = detect_layout();
    ASSERT_OK(layout);
    layout_ = *layout;
    parent_ = "/berth-test-" + std::to_string(::getpid());
    path_ = parent_ + "/" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  void TearDown() override {
    for (auto& manager : managers_) {
      if (path_exists(manager->dirs().front())) (void)manager->signal_all(SIGKILL);
      auto status = manager->destroy();
      EXPECT_TRUE(status.ok()) << status.error().to_string();
    }
    for (const auto& mount : mounts()) ::rmdir(path_join(mount, parent_).c_str());
    for (const auto& mount : mounts())
      EXPECT_FALSE(path_exists(path_join(mount, parent_))) << mount;
  }
  std::vector<std::string> mounts() const {
    auto out = layout_.v1_mount_dirs();
    if (!layout_.unified.empty()) out.push_back(layout_.unified);
    return out;
  }
  Manager* make(const Layout& layout) {
    auto manager = make_manager(layout, path_);
    EXPECT_TRUE(manager.ok()) << manager.error().to_string();
    if (!manager.ok()) return nullptr;
    managers_.push_back(std::move(*manager));
    return managers_.back().get();
  }
  // The first of the manager's directories that has `file`, or "".
  static std::string dir_with(Manager& manager, const std::string& file) {
    for (const auto& dir : manager.dirs()) {
      if (cgroup_file_exists(dir, file)) return dir;
    }
    return "";
  }
  static std::string read_trimmed(const std::string& dir, const std::string& file) {
    auto text = read_cgroup_file(dir, file);
    return text.ok() ? std::string(trim(*text)) : "<" + text.error().to_string() + ">";
  }

  Layout layout_;
  std::string parent_;
  std::string path_;
  std::vector<std::unique_ptr<Manager>> managers_;
};

constexpr int64_t kMiB = int64_t{1024} * 1024;

TEST_F(CgroupsRootTest, CreateApplyReadBack) {
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  for (const auto& dir : cg->dirs()) EXPECT_TRUE(path_exists(dir)) << dir;

  oci::Resources r;
  r.memory.emplace();
  r.memory->limit = 64 * kMiB;
  r.cpu.emplace();
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.pids = oci::PidsResources{50};
  r.devices = {{false, "a", {}, {}, "rwm"}, {true, "c", 1, 3, "rwm"}, {true, "c", 1, 5, "r"}};
  bool hugetlb = path_exists("/sys/kernel/mm/hugepages/hugepages-2048kB") &&
                 (layout_.has_v1("hugetlb") || layout_.unified_has("hugetlb"));
  if (hugetlb) r.hugepage_limits = {{"2MB", 8 * kMiB}};
  ASSERT_OK(cg->apply(r));

  if (auto dir = dir_with(*cg, "memory.limit_in_bytes"); !dir.empty()) {
    EXPECT_EQ(read_trimmed(dir, "memory.limit_in_bytes"), std::to_string(64 * kMiB));
    EXPECT_EQ(read_trimmed(dir_with(*cg, "cpu.shares"), "cpu.shares"), "512");
    EXPECT_EQ(read_trimmed(dir_with(*cg, "cpu.cfs_quota_us"), "cpu.cfs_quota_us"), "50000");
    EXPECT_EQ(read_trimmed(dir_with(*cg, "cpu.cfs_period_us"), "cpu.cfs_period_us"), "100000");
  } else {
    EXPECT_EQ(read_trimmed(dir_with(*cg, "memory.max"), "memory.max"), std::to_string(64 * kMiB));
    EXPECT_EQ(read_trimmed(dir_with(*cg, "cpu.max"), "cpu.max"), "50000 100000");
    EXPECT_EQ(read_trimmed(dir_with(*cg, "cpu.weight"), "cpu.weight"), "59");
  }
  EXPECT_EQ(read_trimmed(dir_with(*cg, "pids.max"), "pids.max"), "50");
  if (layout_.has_v1("devices")) {
    EXPECT_EQ(read_trimmed(dir_with(*cg, "devices.list"), "devices.list"), "c 1:3 rwm\nc 1:5 r");
  }
  if (hugetlb) {
    auto dir = dir_with(*cg, "hugetlb.2MB.max");
    if (dir.empty()) dir = dir_with(*cg, "hugetlb.2MB.limit_in_bytes");
    ASSERT_FALSE(dir.empty()) << "no hugetlb files in the container's cgroups";
    auto file = cgroup_file_exists(dir, "hugetlb.2MB.max") ? "hugetlb.2MB.max"
                                                           : "hugetlb.2MB.limit_in_bytes";
    EXPECT_EQ(read_trimmed(dir, file), std::to_string(8 * kMiB));
  }
  if (layout_.has_v1("cpuset")) {
    EXPECT_NE(read_trimmed(dir_with(*cg, "cpuset.cpus"), "cpuset.cpus"), "");  // inherited
  }
}

TEST_F(CgroupsRootTest, MemswOrderingHoldsOnTheKernel) {
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  if (dir_with(*cg, "memory.memsw.limit_in_bytes").empty() &&
      dir_with(*cg, "memory.swap.max").empty())
    GTEST_SKIP() << "no swap accounting";
  auto set = [&](int64_t limit, int64_t swap) {
    oci::Resources r;
    r.memory.emplace();
    r.memory->limit = limit;
    r.memory->swap = swap;
    return cg->update(r);
  };
  ASSERT_OK(set(64 * kMiB, 128 * kMiB));
  ASSERT_OK(set(32 * kMiB, 48 * kMiB));    // lowering both
  ASSERT_OK(set(256 * kMiB, 512 * kMiB));  // raising both, past the old memsw
  ASSERT_OK(set(-1, 0));                   // unlimited again
}

TEST_F(CgroupsRootTest, ProcessesFreezeStatsSignalDestroy) {
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  oci::Resources r;
  r.devices = {{true, "a", {}, {}, "rwm"}};
  ASSERT_OK(cg->apply(r));
  Child child(touch_memory_then_sleep);
  ASSERT_GT(child.pid(), 0);
  ASSERT_OK(cg->add_process(child.pid()));
  child.release();

  auto pids = cg->processes();
  ASSERT_OK(pids);
  EXPECT_EQ(*pids, std::vector<pid_t>{child.pid()});
  auto membership = read_file("/proc/" + std::to_string(child.pid()) + "/cgroup");
  ASSERT_OK(membership);
  EXPECT_NE(membership->find(path_), std::string::npos) << *membership;

  ASSERT_OK(cg->freeze());
  EXPECT_TRUE(*cg->is_frozen());
  if (auto dir = dir_with(*cg, "freezer.state"); !dir.empty()) {
    EXPECT_EQ(read_trimmed(dir, "freezer.state"), "FROZEN");
  } else {
    EXPECT_EQ(*read_cgroup_key(dir_with(*cg, "cgroup.events"), "cgroup.events", "frozen"), 1u);
  }
  ASSERT_OK(cg->thaw());
  EXPECT_FALSE(*cg->is_frozen());

  // The child charges its memory after it is released; give it a moment.
  auto stats = cg->stats();
  for (int i = 0; i < 200 && stats.ok() && stats->memory.usage.usage < (4u << 20); ++i) {
    ::usleep(10000);
    stats = cg->stats();
  }
  ASSERT_OK(stats);
  EXPECT_EQ(stats->pids.current, 1u);
  EXPECT_GE(stats->memory.usage.usage, 4u << 20);
  EXPECT_GT(stats->cpu.usage.total, 0u);
  auto json = stats_to_runc_json(*stats);
  EXPECT_EQ(json["pids"]["current"], 1);
  EXPECT_EQ(*cg->oom_kill_count(), 0u);

  ASSERT_OK(cg->signal_all(SIGKILL));
  int status = child.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  ASSERT_OK(cg->destroy());
  for (const auto& dir : cg->dirs()) EXPECT_FALSE(path_exists(dir)) << dir;
}

TEST_F(CgroupsRootTest, SignalAllWithoutCgroupKillFreezesAndSignals) {
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  oci::Resources r;
  r.devices = {{true, "a", {}, {}, "rwm"}};
  ASSERT_OK(cg->apply(r));
  Child child(sleep_forever);
  ASSERT_OK(cg->add_process(child.pid()));
  child.release();
  ASSERT_OK(cg->signal_all(SIGTERM));
  int status = child.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_FALSE(*cg->is_frozen());
}

// Opens /dev/null and /dev/zero; bit 0: null opened, bit 1: zero opened, bit 2: null's errno
// was EPERM (the device cgroup's answer).
int probe_devices() {
  int result = 0;
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd >= 0) {
    result |= 1;
    ::close(null_fd);
  } else if (errno == EPERM) {
    result |= 4;
  }
  int zero_fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (zero_fd >= 0) {
    result |= 2;
    ::close(zero_fd);
  }
  return result;
}

int attached_berth_programs(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  uint32_t ids[16] = {};
  bpf_attr attr;
  std::memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = static_cast<uint32_t>(fd);
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = reinterpret_cast<uintptr_t>(ids);
  attr.query.prog_cnt = 16;
  long rc = ::syscall(__NR_bpf, BPF_PROG_QUERY, &attr, sizeof(attr));
  ::close(fd);
  return rc == 0 ? static_cast<int>(attr.query.prog_cnt) : -1;
}

TEST_F(CgroupsRootTest, EbpfDeviceProgramOnARealCgroup2Directory) {
  if (layout_.unified.empty()) GTEST_SKIP() << "no cgroup2 mount on this host";
  // A pure-v2 manager over the cgroup2 mount, even on a hybrid host: the device program then
  // guards the child whatever its v1 devices cgroup allows.
  Manager* cg = make(make_v2_layout(layout_.unified));
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  oci::Resources r;
  r.devices = {{false, "a", {}, {}, "rwm"}, {true, "c", 1, 5, "rwm"}};  // only /dev/zero
  ASSERT_OK(cg->apply(r));
  EXPECT_EQ(attached_berth_programs(cg->dirs()[0]), 1);
  {
    Child child(probe_devices);
    ASSERT_OK(cg->add_process(child.pid()));
    child.release();
    int status = child.wait();
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 2 | 4) << "want /dev/null refused with EPERM, /dev/zero open";
  }
  // update replaces the program: now /dev/null only.
  r.devices = {{true, "c", 1, 3, "r"}};
  ASSERT_OK(cg->update(r));
  EXPECT_EQ(attached_berth_programs(cg->dirs()[0]), 1);
  {
    Child child(probe_devices);
    ASSERT_OK(cg->add_process(child.pid()));
    child.release();
    int status = child.wait();
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 1);
  }
}

TEST_F(CgroupsRootTest, V1DevicesDenyOnThisHost) {
  if (!layout_.has_v1("devices")) GTEST_SKIP() << "no v1 devices hierarchy";
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->create());
  oci::Resources r;
  r.devices = {{true, "c", 1, 5, "rwm"}};
  ASSERT_OK(cg->apply(r));
  Child child(probe_devices);
  ASSERT_OK(cg->add_process(child.pid()));
  child.release();
  int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2 | 4);
}

TEST_F(CgroupsRootTest, DestroyOfAMissingCgroupSucceeds) {
  Manager* cg = make(layout_);
  ASSERT_NE(cg, nullptr);
  ASSERT_OK(cg->destroy());
}

}  // namespace
}  // namespace berth::cgroups
