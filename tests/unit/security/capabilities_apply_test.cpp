// apply_capabilities_raw in a forked child, checked against /proc/self/status. As root this runs
// directly; otherwise the child first enters a new user namespace, where it holds every
// capability, and the test is skipped only when that is not allowed.
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "child_process.h"
#include "security/capabilities.h"

namespace berth::security {
namespace {

using testing::Reporter;
using testing::run_in_child;

constexpr int kSkipExit = 77;

uint64_t bits(std::initializer_list<int> caps) {
  uint64_t out = 0;
  for (int cap : caps) out |= capability_bit(cap);
  return out;
}

// Gives the child a full capability set to drop from.
bool become_capable() {
  return geteuid() == 0 || unshare(CLONE_NEWUSER) == 0;
}

// Reports CapInh, CapPrm, CapEff, CapBnd, CapAmb in that order.
void report_status_caps(Reporter& report) {
  std::ifstream in("/proc/self/status");
  std::string line;
  for (const char* key : {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"}) {
    int64_t value = -1;
    in.clear();
    in.seekg(0);
    while (std::getline(in, line)) {
      if (line.starts_with(key)) {
        value =
            static_cast<int64_t>(std::stoull(line.substr(std::string(key).size()), nullptr, 16));
        break;
      }
    }
    report.add(value);
  }
}

struct ApplyArgs {
  CapabilitySets sets;
  int last_cap;
};

int apply_and_report(Reporter& report, const void* arg) {
  const auto& a = *static_cast<const ApplyArgs*>(arg);
  if (!become_capable()) return kSkipExit;
  int rc = apply_capabilities_raw(a.sets, a.last_cap);
  report.add(rc);
  if (rc != 0) return 1;
  report_status_caps(report);
  return 0;
}

TEST(ApplyCapabilities, SetsAllFiveSets) {
  ApplyArgs args;
  args.last_cap = kernel_last_cap();
  args.sets.bounding = bits({CAP_CHOWN, CAP_KILL, CAP_NET_BIND_SERVICE, CAP_SETPCAP});
  args.sets.permitted = bits({CAP_CHOWN, CAP_KILL, CAP_NET_BIND_SERVICE});
  args.sets.effective = bits({CAP_CHOWN, CAP_KILL});
  args.sets.inheritable = bits({CAP_NET_BIND_SERVICE, CAP_KILL});
  args.sets.ambient = bits({CAP_NET_BIND_SERVICE});

  auto outcome = run_in_child(apply_and_report, &args);
  if (WIFEXITED(outcome.wait_status) && WEXITSTATUS(outcome.wait_status) == kSkipExit) {
    GTEST_SKIP() << "not root and user namespaces are not available";
  }
  ASSERT_FALSE(outcome.values.empty());
  EXPECT_EQ(outcome.values[0], 0) << "apply_capabilities_raw: " << strerror(-outcome.values[0]);
  ASSERT_TRUE(outcome.exited_ok());
  ASSERT_EQ(outcome.values.size(), 6u);
  EXPECT_EQ(static_cast<uint64_t>(outcome.values[1]), args.sets.inheritable) << "CapInh";
  EXPECT_EQ(static_cast<uint64_t>(outcome.values[2]), args.sets.permitted) << "CapPrm";
  EXPECT_EQ(static_cast<uint64_t>(outcome.values[3]), args.sets.effective) << "CapEff";
  EXPECT_EQ(static_cast<uint64_t>(outcome.values[4]), args.sets.bounding) << "CapBnd";
  EXPECT_EQ(static_cast<uint64_t>(outcome.values[5]), args.sets.ambient) << "CapAmb";
}

TEST(ApplyCapabilities, EmptySetsDropEverything) {
  ApplyArgs args{CapabilitySets{}, kernel_last_cap()};
  auto outcome = run_in_child(apply_and_report, &args);
  if (WIFEXITED(outcome.wait_status) && WEXITSTATUS(outcome.wait_status) == kSkipExit) {
    GTEST_SKIP() << "not root and user namespaces are not available";
  }
  ASSERT_TRUE(outcome.exited_ok());
  ASSERT_EQ(outcome.values.size(), 6u);
  for (size_t i = 1; i < outcome.values.size(); ++i) EXPECT_EQ(outcome.values[i], 0) << i;
}

// Without CAP_SETPCAP a process cannot shrink its bounding set, but re-applying a set whose drops
// are already done must still succeed (the runtime drops before switching user, then re-applies).
int reapply_without_setpcap(Reporter& report, const void* arg) {
  int last_cap = *static_cast<const int*>(arg);
  if (!become_capable()) return kSkipExit;
  CapabilitySets sets;
  sets.bounding = bits({CAP_CHOWN, CAP_KILL});
  sets.permitted = sets.effective = bits({CAP_CHOWN});
  report.add(apply_capabilities_raw(sets, last_cap));
  report.add(apply_capabilities_raw(sets, last_cap));
  report.add(drop_bounding_raw(sets.bounding, last_cap));
  report.add(drop_bounding_raw(bits({CAP_CHOWN}), last_cap));
  report.add(prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0));
  return 0;
}

TEST(ApplyCapabilities, ReapplyIsIdempotentButShrinkingNeedsSetpcap) {
  int last_cap = kernel_last_cap();
  auto outcome = run_in_child(reapply_without_setpcap, &last_cap);
  if (WIFEXITED(outcome.wait_status) && WEXITSTATUS(outcome.wait_status) == kSkipExit) {
    GTEST_SKIP() << "not root and user namespaces are not available";
  }
  ASSERT_TRUE(outcome.exited_ok());
  ASSERT_EQ(outcome.values.size(), 5u);
  EXPECT_EQ(outcome.values[0], 0);
  EXPECT_EQ(outcome.values[1], 0);
  EXPECT_EQ(outcome.values[2], 0);
  EXPECT_EQ(outcome.values[3], -EPERM);
  EXPECT_EQ(outcome.values[4], 1) << "CAP_KILL must still be in the bounding set";
}

int toggle_keep_caps(Reporter& report, const void*) {
  report.add(set_keep_caps_raw(true));
  report.add(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
  report.add(set_keep_caps_raw(false));
  report.add(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
  return 0;
}

TEST(ApplyCapabilities, KeepCapsToggles) {
  auto outcome = run_in_child(toggle_keep_caps);
  ASSERT_TRUE(outcome.exited_ok());
  EXPECT_EQ(outcome.values, (std::vector<int64_t>{0, 1, 0, 0}));
}

}  // namespace
}  // namespace berth::security
