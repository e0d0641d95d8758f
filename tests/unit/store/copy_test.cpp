#include "store/archive/copy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "store/archive/tar_reader.h"
#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TarBuilder;
using test::TempDir;

std::vector<std::string> entry_names(const std::string& tar_bytes) {
  StringReader src(tar_bytes);
  TarReader reader(src);
  std::vector<std::string> names;
  while (true) {
    auto h = reader.next();
    if (!h.ok() || !*h) break;
    names.push_back((*h)->path);
  }
  return names;
}

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_ / "rootfs";
    host_ = tmp_ / "host";
    test::write(root_ + "/etc/hosts", "CONTAINER HOSTS\n");
    test::write(root_ + "/data/a", "a");
    test::write(root_ + "/data/sub/b", "b");
    test::write(host_ + "/etc/hosts", "HOST FILE");
    // A container's hostile symlinks: absolute and climbing, both aimed at the host.
    ASSERT_EQ(::symlink("/etc", (root_ + "/etc-link").c_str()), 0);
    ASSERT_EQ(::symlink("../../../../../../../../etc", (root_ + "/up").c_str()), 0);
    ASSERT_EQ(::symlink(host_.c_str(), (root_ + "/host-abs").c_str()), 0);
    root_fd_ = fs::open_dir(root_).take();
  }
  TempDir tmp_;
  std::string root_, host_;
  UniqueFd root_fd_;
};

TEST_F(CopyTest, StatFollowsSymlinksInsideTheRoot) {
  auto st = stat_in_root(root_fd_.get(), "/etc-link");
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(S_ISLNK(st->mode));
  EXPECT_EQ(st->link_target, "/etc");
  auto followed = stat_in_root(root_fd_.get(), "/etc-link/hosts", true);
  ASSERT_TRUE(followed.ok()) << followed.error().to_string();
  EXPECT_EQ(followed->size, 16);
  EXPECT_EQ(followed->name, "hosts");
  auto missing = stat_in_root(root_fd_.get(), "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_F(CopyTest, CopyOutOfAFileAndADirectory) {
  std::string out;
  StringWriter sink(&out);
  ASSERT_TRUE(write_tar_path(root_fd_.get(), "/etc/hosts", sink).ok());
  EXPECT_EQ(entry_names(out), std::vector<std::string>{"hosts"});
  out.clear();
  ASSERT_TRUE(write_tar_path(root_fd_.get(), "/data", sink).ok());
  EXPECT_EQ(entry_names(out),
            (std::vector<std::string>{"data/", "data/a", "data/sub/", "data/sub/b"}));
  out.clear();
  CopyOutOptions contents;
  contents.archive_name = "";
  ASSERT_TRUE(write_tar_path(root_fd_.get(), "/data/.", sink, contents).ok());
  EXPECT_EQ(entry_names(out), (std::vector<std::string>{"a", "sub/", "sub/b"}));
}

TEST_F(CopyTest, CopyOutNeverLeavesTheRoot) {
  for (std::string path : {"/up/hosts", "/../../etc/hosts", "/etc-link/../up/hosts"}) {
    std::string out;
    StringWriter sink(&out);
    auto r = write_tar_path(root_fd_.get(), path, sink);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error().to_string();
    EXPECT_NE(out.find("CONTAINER HOSTS"), std::string::npos) << path;
  }
  // Following a final symlink that points out of the root lands inside it.
  std::string out;
  StringWriter sink(&out);
  CopyOutOptions follow;
  follow.follow_symlink = true;
  ASSERT_TRUE(write_tar_path(root_fd_.get(), "/etc-link", sink, follow).ok());
  EXPECT_EQ(entry_names(out), (std::vector<std::string>{"etc-link/", "etc-link/hosts"}));
}

TEST_F(CopyTest, ExtractStaysInsideTheRoot) {
  TarBuilder tar;
  tar.file("hosts", "from tar").file("sub/x", "x").file(".wh.not-a-whiteout", "plain file");
  std::string bytes = tar.tar();
  StringReader src(bytes);
  ExtractOptions options;
  options.rootless = !test::is_root();
  options.owner = {::geteuid(), ::getegid()};
  // Through an in-container symlink that climbs out, and one that is absolute.
  auto st = extract_tar_to(src, root_fd_.get(), "/up", options);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(test::slurp(root_ + "/etc/hosts"), "from tar");
  EXPECT_EQ(test::slurp(host_ + "/etc/hosts"), "HOST FILE");
  EXPECT_NE(test::slurp("/etc/hosts"), "from tar");
  EXPECT_EQ(test::slurp(root_ + "/etc/sub/x"), "x");
  EXPECT_EQ(test::slurp(root_ + "/etc/.wh.not-a-whiteout"), "plain file");

  std::string escape_bytes = TarBuilder().file("../../escape", "x").tar();
  StringReader escape(escape_bytes);
  auto bad = extract_tar_to(escape, root_fd_.get(), "/data", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE(test::exists(tmp_ / "escape"));

  // Entries through a symlink inside the destination resolve inside the root as well.
  ASSERT_TRUE(make_dirs(root_ + host_ + "/etc").ok());
  std::string through_bytes = TarBuilder().file("host-abs/etc/hosts", "overwrite?").tar();
  StringReader through(through_bytes);
  auto st2 = extract_tar_to(through, root_fd_.get(), "/", options);
  ASSERT_TRUE(st2.ok()) << st2.error().to_string();
  EXPECT_EQ(test::slurp(host_ + "/etc/hosts"), "HOST FILE");
  EXPECT_EQ(test::slurp(root_ + host_ + "/etc/hosts"), "overwrite?");
}

TEST_F(CopyTest, NoOverwriteDirNonDir) {
  ExtractOptions options;
  options.rootless = !test::is_root();
  options.owner = {::geteuid(), ::getegid()};
  options.no_overwrite_dir_non_dir = true;
  std::string bytes = TarBuilder().file("data", "a file over a dir").tar();
  StringReader src(bytes);
  auto st = extract_tar_to(src, root_fd_.get(), "/", options);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(S_ISDIR(test::lstat_path(root_ + "/data").st_mode));
}

}  // namespace
}  // namespace berth::store
