// Resolution inside a root by fd (CVE-2021-30465): symlinks, "..", absolute targets and
// dangling links all stay beneath the root, whether opening or creating.
#include "sys/path_in_root.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "base/file_util.h"

namespace berth::sys {
namespace {

class PathInRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-path-in-root-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ + "/root";
    outside_ = base_ + "/outside";
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(outside_.c_str(), 0755), 0);
    root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(root_fd_, 0);
  }
  void TearDown() override {
    ::close(root_fd_);
    ASSERT_TRUE(remove_all(base_).ok());
  }
  // The path of an fd, as the kernel names it.
  static std::string fd_path(int fd) {
    char buf[PATH_MAX];
    std::string link = "/proc/self/fd/" + std::to_string(fd);
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
  void link(const std::string& target, const std::string& name) {
    ASSERT_EQ(::symlink(target.c_str(), (root_ + "/" + name).c_str()), 0);
  }

  std::string base_, root_, outside_;
  int root_fd_ = -1;
};

TEST_F(PathInRootTest, OpensPlainPaths) {
  ASSERT_TRUE(make_dirs(root_ + "/a/b").ok());
  int fd = open_in_root(root_fd_, "/a/b", O_PATH);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd_path(fd), root_ + "/a/b");
  ::close(fd);
  fd = open_in_root(root_fd_, "/", O_PATH);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd_path(fd), root_);
  ::close(fd);
  EXPECT_EQ(open_in_root(root_fd_, "/missing", O_PATH), -ENOENT);
}

TEST_F(PathInRootTest, SymlinksResolveInsideTheRoot) {
  ASSERT_TRUE(make_dirs(root_ + "/etc").ok());
  link("/..", "up");        // ".." of the root is the root
  link("../../..", "rel");  // so is any number of them
  link(outside_, "abs");    // an absolute host path is taken inside the root
  link("/etc", "etc-link");
  for (const char* name : {"/up", "/rel"}) {
    int fd = open_in_root(root_fd_, name, O_PATH);
    ASSERT_GE(fd, 0) << name;
    EXPECT_EQ(fd_path(fd), root_) << name;
    ::close(fd);
  }
  EXPECT_EQ(open_in_root(root_fd_, "/abs", O_PATH), -ENOENT);
  int fd = open_in_root(root_fd_, "/etc-link", O_PATH);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd_path(fd), root_ + "/etc");
  ::close(fd);
}

TEST_F(PathInRootTest, MagicLinksAreRefused) {
  // A container's /proc is a real procfs: its magic links (/proc/self/root, /proc/<pid>/fd/N)
  // would jump anywhere, so they are refused. The host's /proc stands in for one here.
  int proc = ::open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(proc, 0);
  EXPECT_EQ(open_in_root(proc, "self/root", O_PATH), -ELOOP);
  EXPECT_EQ(open_in_root(proc, "self/cwd", O_PATH), -ELOOP);
  int fd = open_in_root(proc, "self/status", O_RDONLY);  // plain symlink "self" is fine
  EXPECT_GE(fd, 0);
  ::close(fd);
  ::close(proc);
}

TEST_F(PathInRootTest, EnsureCreatesDirectoriesAndFiles) {
  int fd = ensure_in_root(root_fd_, "/a/b/c", false, 0755);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd_path(fd), root_ + "/a/b/c");
  ::close(fd);
  fd = ensure_in_root(root_fd_, "/a/file", true, 0755);
  ASSERT_GE(fd, 0);
  struct stat st {};
  ASSERT_EQ(::stat((root_ + "/a/file").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  ::close(fd);
  // Existing: just opened.
  fd = ensure_in_root(root_fd_, "/a/b/c", false, 0755);
  ASSERT_GE(fd, 0);
  ::close(fd);
}

TEST_F(PathInRootTest, EnsureThroughEscapingSymlinksStaysInside) {
  link("/..", "up");
  link(outside_, "abs");
  link("../../../..", "rel");
  for (const char* path : {"/up/x/y", "/abs/x/y", "/rel/x/y"}) {
    int fd = ensure_in_root(root_fd_, path, false, 0755);
    ASSERT_GE(fd, 0) << path;
    std::string where = fd_path(fd);
    EXPECT_EQ(where.rfind(root_ + "/", 0), 0u) << path << " -> " << where;
    ::close(fd);
  }
  EXPECT_TRUE(path_exists(root_ + "/x/y"));
  EXPECT_TRUE(path_exists(root_ + outside_ + "/x/y"));  // the absolute target, re-rooted
  EXPECT_FALSE(path_exists(outside_ + "/x"));
  EXPECT_FALSE(path_exists(base_ + "/x"));
}

TEST_F(PathInRootTest, EnsureFileThroughDanglingLinkStaysInside) {
  link(outside_ + "/planted", "f");
  int fd = ensure_in_root(root_fd_, "/f", true, 0755);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fd_path(fd), root_ + outside_ + "/planted");
  ::close(fd);
  EXPECT_FALSE(path_exists(outside_ + "/planted"));
}

TEST_F(PathInRootTest, SymlinkLoopsEnd) {
  link("/b", "a");
  link("/a", "b");
  EXPECT_LT(ensure_in_root(root_fd_, "/a/x", false, 0755), 0);
}

}  // namespace
}  // namespace berth::sys
