#include "store/archive/layer_unpack.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <gtest/gtest.h>

#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TarBuilder;
using test::TempDir;

Result<UnpackResult> unpack(const std::string& bytes, const std::string& dest,
                            UnpackOptions options = {}) {
  if (!test::is_root()) options.apply.rootless = true;
  StringReader src(bytes);
  return unpack_layer(src, dest, options);
}

Result<UnpackResult> apply(const std::string& bytes, const std::string& dest,
                           UnpackOptions options) {
  if (!test::is_root()) options.apply.rootless = true;
  StringReader src(bytes);
  auto fd = TRY(fs::open_dir(dest));
  return apply_layer(src, fd.get(), options);
}

size_t entries_in(const std::string& dir) {
  auto fd = fs::open_dir(dir);
  return fs::list_dir(fd->get())->size();
}

TEST(LayerUnpackTest, FilesDirsLinksModesAndTimes) {
  TempDir tmp;
  TarBuilder tar;
  tar.dir("etc/", 0755, 1500000000)
      .file("etc/passwd", "root:x:0:0\n", 0644, 1500000001)
      .dir("bin/", 0755, 1500000002)
      .file("bin/busybox", "ELF", 04755)
      .hardlink("bin/ls", "bin/busybox")
      .symlink("bin/sh", "busybox")
      .dir("tmp/", 01777)
      .fifo("run/initctl")
      .file("deep/a/b/file", "implicit parents")
      .file("/abs/file", "absolute names become relative");
  std::string dest = tmp / "layer";
  auto r = unpack(tar.tar(), dest);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->entries, 10u);
  EXPECT_EQ(test::slurp(dest + "/etc/passwd"), "root:x:0:0\n");
  EXPECT_EQ(test::lstat_path(dest + "/etc/passwd").st_mtim.tv_sec, 1500000001);
  // Directory mtimes are set after their children were created.
  EXPECT_EQ(test::lstat_path(dest + "/etc").st_mtim.tv_sec, 1500000000);
  EXPECT_EQ(test::lstat_path(dest + "/bin").st_mtim.tv_sec, 1500000002);
  EXPECT_EQ(test::lstat_path(dest + "/bin/busybox").st_mode & 07777, 04755u);
  EXPECT_EQ(test::lstat_path(dest + "/tmp").st_mode & 07777, 01777u);
  EXPECT_EQ(test::lstat_path(dest + "/bin/ls").st_ino,
            test::lstat_path(dest + "/bin/busybox").st_ino);
  char target[64] = {};
  ASSERT_GT(::readlink((dest + "/bin/sh").c_str(), target, sizeof target), 0);
  EXPECT_STREQ(target, "busybox");
  EXPECT_TRUE(S_ISFIFO(test::lstat_path(dest + "/run/initctl").st_mode));
  EXPECT_EQ(test::slurp(dest + "/deep/a/b/file"), "implicit parents");
  EXPECT_EQ(test::slurp(dest + "/abs/file"), "absolute names become relative");
  EXPECT_EQ(test::lstat_path(dest).st_mode & 07777, 0755u);
  EXPECT_EQ(entries_in(tmp.path()), 1u);  // no temp dir left beside it
}

TEST(LayerUnpackTest, CompressionsGiveTheSameDiffId) {
  TarBuilder tar;
  tar.dir("d/").file("d/f", std::string(100000, 'q'));
  std::string plain = tar.tar();
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    TempDir tmp;
    std::string bytes = tar.compressed(c);
    auto r = unpack(bytes, tmp / "l");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->diff_id, Digest::of(plain));
    EXPECT_EQ(r->uncompressed_size, plain.size());
    EXPECT_EQ(r->compressed_digest, Digest::of(bytes));
    EXPECT_EQ(r->compressed_size, bytes.size());
    EXPECT_EQ(r->compression, c);
    EXPECT_EQ(test::slurp(tmp / "l/d/f"), std::string(100000, 'q'));
  }
}

TEST(LayerUnpackTest, PaddingAfterTheEndMarkerCountsInTheDiffId) {
  TempDir tmp;
  std::string bytes = TarBuilder().file("f", "x").tar() + std::string(10240, '\0');
  auto r = unpack(bytes, tmp / "l");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->diff_id, Digest::of(bytes));
  EXPECT_EQ(r->uncompressed_size, bytes.size());
}

TEST(LayerUnpackTest, DiffIdMismatchLeavesNothing) {
  TempDir tmp;
  UnpackOptions options;
  options.expected_diff_id = Digest::of("not this layer");
  auto r = unpack(TarBuilder().file("f", "x").tar(), tmp / "l", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(entries_in(tmp.path()), 0u);
}

TEST(LayerUnpackTest, ReadOnlyDirectoriesGetTheirModeLast) {
  TempDir tmp;
  TarBuilder tar;
  tar.dir("ro/", 0555).file("ro/f", "inside a read-only dir").dir("ro/sub/", 0500);
  tar.file("ro/sub/g", "deeper");
  auto r = unpack(tar.tar(), tmp / "l");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(test::slurp(tmp / "l/ro/sub/g"), "deeper");
  EXPECT_EQ(test::lstat_path(tmp / "l/ro").st_mode & 07777, 0555u);
  EXPECT_EQ(test::lstat_path(tmp / "l/ro/sub").st_mode & 07777, 0500u);
  // And a failed unpack of the same still leaves nothing, even without privileges.
  UnpackOptions options;
  options.expected_diff_id = Digest::of("other");
  ASSERT_FALSE(unpack(tar.tar(), tmp / "m", options).ok());
  EXPECT_FALSE(test::exists(tmp / "m"));
  EXPECT_EQ(entries_in(tmp.path()), 1u);
}

TEST(LayerUnpackTest, CorruptArchiveLeavesNothing) {
  TempDir tmp;
  std::string bytes = TarBuilder().file("f", std::string(5000, 'x')).tar();
  auto r = unpack(bytes.substr(0, 1500), tmp / "l");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(entries_in(tmp.path()), 0u);
  std::string gz = TarBuilder().file("f", std::string(5000, 'x')).compressed(Compression::kGzip);
  r = unpack(gz.substr(0, gz.size() - 10), tmp / "l");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(entries_in(tmp.path()), 0u);
}

TEST(LayerUnpackTest, DestinationMustNotExist) {
  TempDir tmp;
  ASSERT_TRUE(make_dirs(tmp / "l").ok());
  auto r = unpack(TarBuilder().file("f", "x").tar(), tmp / "l");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kAlreadyExists);
}

TEST(LayerUnpackTest, WhiteoutsByDeletion) {
  TempDir tmp;
  std::string root = tmp / "rootfs";
  test::write(root + "/gone", "lower");
  test::write(root + "/keep", "lower");
  test::write(root + "/dir/old", "lower");
  test::write(root + "/dir/sub/old", "lower");
  test::write(root + "/dir2/old", "lower");
  test::write(root + "/other/file", "lower");
  UnpackOptions options;
  options.apply.whiteouts = WhiteoutMode::kDelete;
  TarBuilder tar;
  tar.file(".wh.gone", "")
      .file("keep", "this layer")
      .file(".wh.keep", "")  // same layer: does not hide its own entry
      .dir("dir/")
      .file("dir/.wh..wh..opq", "")
      .file("dir/new", "new")
      .file("dir2/new", "new")
      .file("dir2/.wh..wh..opq", "")  // after its siblings: still applies to lower only
      .file(".wh.nonexistent", "")
      .file("missing/.wh.x", "");
  auto r = apply(tar.tar(), root, options);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_FALSE(test::exists(root + "/gone"));
  EXPECT_FALSE(test::exists(root + "/.wh.gone"));
  EXPECT_EQ(test::slurp(root + "/keep"), "this layer");
  EXPECT_FALSE(test::exists(root + "/dir/old"));
  EXPECT_FALSE(test::exists(root + "/dir/sub"));
  EXPECT_EQ(test::slurp(root + "/dir/new"), "new");
  EXPECT_FALSE(test::exists(root + "/dir/.wh..wh..opq"));
  EXPECT_FALSE(test::exists(root + "/dir2/old"));
  EXPECT_EQ(test::slurp(root + "/dir2/new"), "new");
  EXPECT_EQ(test::slurp(root + "/other/file"), "lower");
  EXPECT_FALSE(test::exists(root + "/missing"));
}

TEST(LayerUnpackTest, WhiteoutsInOverlayForm) {
  if (!test::is_root()) GTEST_SKIP() << "overlay whiteouts need CAP_MKNOD and trusted xattrs";
  TempDir tmp;
  TarBuilder tar;
  tar.file(".wh.gone", "").dir("dir/").file("dir/.wh..wh..opq", "").file("dir/new", "n");
  auto r = unpack(tar.tar(), tmp / "l");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  struct stat st = test::lstat_path(tmp / "l/gone");
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  auto dir = fs::open_dir(tmp / "l");
  auto opaque = fs::get_xattr_at(dir->get(), "dir", "trusted.overlay.opaque");
  ASSERT_TRUE(opaque.ok());
  EXPECT_EQ(opaque->value_or(""), "y");
  EXPECT_FALSE(test::exists(tmp / "l/dir/.wh..wh..opq"));
  EXPECT_FALSE(test::exists(tmp / "l/.wh.gone"));
}

TEST(LayerUnpackTest, UserXattrsKeptOverlayXattrsDropped) {
  TempDir tmp;
  TarHeader h = TarBuilder::base("f", EntryType::kRegular, 0644, 1600000000);
  h.size = 1;
  h.xattrs["user.test"] = "value";
  h.xattrs["user.overlay.opaque"] = "y";
  TarBuilder tar;
  tar.entry(h, "x");
  // Go's archive/tar (Docker, containerd) reads xattrs only from SCHILY records.
  EXPECT_NE(tar.tar().find("SCHILY.xattr.user.test=value"), std::string::npos);
  auto r = unpack(tar.tar(), tmp / "l");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto dir = fs::open_dir(tmp / "l");
  auto xattrs = fs::list_xattrs_at(dir->get(), "f");
  ASSERT_TRUE(xattrs.ok());
  EXPECT_EQ(xattrs->count("user.overlay.opaque"), 0u);
  if (xattrs->count("user.test") == 0) GTEST_SKIP() << "no user xattrs on /tmp";
  EXPECT_EQ(xattrs->at("user.test"), "value");
}

// Every way out of the destination: refused, nothing left, nothing outside touched.
class EscapeTest : public ::testing::TestWithParam<int> {};

TEST_P(EscapeTest, IsRefusedAndLeavesNothing) {
  TempDir tmp;
  std::string outside = tmp / "outside";
  test::write(outside + "/secret", "host data", 0600);
  auto before = test::tree(outside);
  TarBuilder tar;
  switch (GetParam()) {
    case 0: tar.file("../escape", "x"); break;
    case 1: tar.dir("a/").file("a/../../escape", "x"); break;
    case 2: tar.symlink("link", outside).file("link/planted", "x"); break;
    case 3: tar.symlink("up", "../../../../../../../../" + outside).file("up/planted", "x"); break;
    case 4: tar.hardlink("h", "../outside/secret"); break;
    case 5: tar.symlink("d", outside).hardlink("h", "d/secret"); break;
    case 6: tar.symlink("d", outside).dir("d/sub/"); break;
    case 7: tar.symlink("d", outside).file("d/.wh.secret", ""); break;
    case 8: tar.symlink("d", outside).file("d/.wh..wh..opq", ""); break;
  }
  std::string dest = tmp / "layer";
  UnpackOptions options;
  options.apply.whiteouts = GetParam() == 7 ? WhiteoutMode::kDelete : WhiteoutMode::kOverlay;
  auto r = unpack(tar.tar(), dest, options);
  ASSERT_FALSE(r.ok()) << "case " << GetParam();
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied) << r.error().to_string();
  EXPECT_FALSE(test::exists(dest));
  EXPECT_EQ(entries_in(tmp.path()), 1u);  // only "outside"
  EXPECT_EQ(test::tree(outside), before);
  EXPECT_FALSE(test::exists(tmp / "escape"));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, EscapeTest, ::testing::Range(0, 9));

TEST(LayerUnpackTest, SymlinkEntriesNeverChmodTheirTarget) {
  // CVE-2021-32760: metadata of a symlink entry must not reach what it points to.
  TempDir tmp;
  test::write(tmp / "outside/file", "x", 0600);
  TarHeader h = TarBuilder::base("s", EntryType::kSymlink, 0777, 1600000000);
  h.link_target = tmp / "outside/file";
  TarBuilder tar;
  tar.entry(h).file("s", "replaces the symlink, not its target", 0777);
  auto r = unpack(tar.tar(), tmp / "l");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(test::lstat_path(tmp / "outside/file").st_mode & 07777, 0600u);
  EXPECT_EQ(test::slurp(tmp / "outside/file"), "x");
  EXPECT_TRUE(S_ISREG(test::lstat_path(tmp / "l/s").st_mode));
}

TEST(LayerUnpackTest, InRootResolutionFollowsSymlinksInsideTheRoot) {
  TempDir tmp;
  std::string root = tmp / "rootfs";
  ASSERT_TRUE(make_dirs(root + "/usr/lib").ok());
  ASSERT_EQ(::symlink("/usr/lib", (root + "/lib").c_str()), 0);  // absolute, as in merged-usr
  UnpackOptions options;
  options.apply.whiteouts = WhiteoutMode::kDelete;
  options.apply.resolve = fs::Resolve::kInRoot;
  auto r = apply(TarBuilder().file("lib/libc.so", "libc").tar(), root, options);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(test::slurp(root + "/usr/lib/libc.so"), "libc");
  EXPECT_FALSE(test::exists("/usr/lib/libc.so") && test::slurp("/usr/lib/libc.so") == "libc");
}

}  // namespace
}  // namespace berth::store
