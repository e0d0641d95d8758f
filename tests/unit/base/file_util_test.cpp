#include "base/file_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace berth {
namespace {

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-file-util-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { ASSERT_TRUE(remove_all(dir_).ok()); }
  std::string dir_;
};

TEST_F(FileUtilTest, AtomicWriteThenRead) {
  std::string path = dir_ + "/state.json";
  ASSERT_TRUE(write_file_atomic(path, "{\"a\":1}").ok());
  auto content = read_file(path);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "{\"a\":1}");
  ASSERT_TRUE(write_file_atomic(path, "second").ok());
  EXPECT_EQ(*read_file(path), "second");
}

TEST_F(FileUtilTest, MakeDirsAndRemoveAll) {
  std::string deep = dir_ + "/a/b/c";
  ASSERT_TRUE(make_dirs(deep).ok());
  ASSERT_TRUE(make_dirs(deep).ok());
  ASSERT_TRUE(write_file(deep + "/f", "x").ok());
  ASSERT_EQ(::symlink("/etc", (dir_ + "/a/link").c_str()), 0);
  ASSERT_TRUE(remove_all(dir_ + "/a").ok());
  EXPECT_FALSE(path_exists(dir_ + "/a"));
  EXPECT_TRUE(path_exists("/etc/passwd"));  // the symlink target survived
}

TEST_F(FileUtilTest, MissingFileIsNotFound) {
  auto r = read_file(dir_ + "/missing");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

TEST(PathTest, CleanPath) {
  EXPECT_EQ(clean_path("/a/../b/./c/"), "/b/c");
  EXPECT_EQ(clean_path("/../.."), "/");
  EXPECT_EQ(clean_path("a/../../b"), "../b");
  EXPECT_EQ(clean_path(""), ".");
  EXPECT_EQ(path_join("/root", "/etc/passwd"), "/root/etc/passwd");
  EXPECT_EQ(dirname("/a/b"), "/a");
  EXPECT_EQ(dirname("/a"), "/");
  EXPECT_EQ(basename("/a/b/"), "b");
}

}  // namespace
}  // namespace berth
