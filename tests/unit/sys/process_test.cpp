#include "sys/process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace berth::sys {
namespace {

TEST(ProcessTest, SelfFacts) {
  auto start = process_start_time(::getpid());
  ASSERT_TRUE(start.ok());
  EXPECT_TRUE(process_matches(::getpid(), *start));
  EXPECT_FALSE(process_matches(::getpid(), *start + 1));
  EXPECT_EQ(*process_state(::getpid()), 'R');
  // Not in a child pid namespace: the innermost pid is the pid.
  EXPECT_EQ(*pid_in_own_namespace(::getpid()), ::getpid());
}

TEST(ProcessTest, ZombiesDoNotMatchAndPidfdsSeeExit) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  auto start = process_start_time(child);
  ASSERT_TRUE(start.ok());
  auto pidfd = pidfd_open(child);
  ASSERT_TRUE(pidfd.ok());
  EXPECT_FALSE(*pidfd_wait(pidfd->get(), 0));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  EXPECT_TRUE(*pidfd_wait(pidfd->get(), 10'000));
  EXPECT_FALSE(process_matches(child, *start));  // a zombie until reaped
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  EXPECT_FALSE(process_matches(child, *start));
}

}  // namespace
}  // namespace berth::sys
