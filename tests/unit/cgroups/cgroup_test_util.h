// A temp directory standing in for /sys/fs/cgroup. Tests create the control files the kernel
// would (put), run a manager, and look at what it wrote (get, recorder_).
#pragma once

#include <stdlib.h>

#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"
#include "cgroups/cgroup_file.h"

namespace berth::cgroups {

class CgroupFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-cgroups-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { ASSERT_TRUE(remove_all(root_).ok()); }

  // Creates <dir>/<name> holding `content`, making <dir> first.
  void put(const std::string& dir, const std::string& name, const std::string& content = "") {
    ASSERT_TRUE(make_dirs(dir).ok()) << dir;
    ASSERT_TRUE(write_file(path_join(dir, name), content).ok()) << dir << "/" << name;
  }
  std::string get(const std::string& dir, const std::string& name) {
    auto text = read_file(path_join(dir, name));
    return text.ok() ? *text : "<" + text.error().to_string() + ">";
  }
  std::string at(const std::string& relative) const { return path_join(root_, relative); }

  std::string root_;
  CgroupWriteRecorder recorder_;
};

// EXPECT_OK(status) with the error text on failure.
#define EXPECT_OK(expr)                                                         \
  do {                                                                          \
    auto&& berth_expect_ok_ = (expr);                                           \
    EXPECT_TRUE(berth_expect_ok_.ok()) << berth_expect_ok_.error().to_string(); \
  } while (0)
#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    auto&& berth_assert_ok_ = (expr);                                           \
    ASSERT_TRUE(berth_assert_ok_.ok()) << berth_assert_ok_.error().to_string(); \
  } while (0)

}  // namespace berth::cgroups
