#include "store/archive/layer_diff.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "store/archive/layer_unpack.h"
#include "store/archive/tar_reader.h"
#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TempDir;

// The DiffID of an empty layer (a tar with no entries: two zero blocks), as every Docker image
// built with an empty layer records it.
constexpr const char* kEmptyLayerDiffId =
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

std::vector<std::string> entry_names(const std::string& tar_bytes) {
  StringReader src(tar_bytes);
  DecompressingReader plain(src);
  TarReader reader(plain);
  std::vector<std::string> names;
  while (true) {
    auto h = reader.next();
    EXPECT_TRUE(h.ok());
    if (!h.ok() || !*h) break;
    names.push_back((*h)->path);
  }
  return names;
}

// Applies a tar onto a copy of `lower` (delete-mode whiteouts) into `dest`.
void apply_onto(const std::string& lower, const std::string& tar_bytes, const std::string& dest) {
  std::string lower_tar;
  StringWriter sink(&lower_tar);
  ASSERT_TRUE(write_tar(lower, sink).ok());
  UnpackOptions options;
  options.apply.whiteouts = WhiteoutMode::kDelete;
  options.apply.rootless = !test::is_root();
  StringReader lower_src(lower_tar);
  ASSERT_TRUE(unpack_layer(lower_src, dest, options).ok());
  auto fd = fs::open_dir(dest);
  StringReader src(tar_bytes);
  auto r = apply_layer(src, fd->get(), options);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
}

TEST(LayerDiffTest, EmptyTreeIsTheWellKnownEmptyLayer) {
  TempDir tmp;
  std::string out;
  StringWriter sink(&out);
  auto r = write_tar(tmp.path(), sink);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(out.size(), 1024u);
  EXPECT_EQ(r->diff_id.to_string(), kEmptyLayerDiffId);
  EXPECT_EQ(r->digest, r->diff_id);
}

class DiffFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    lower_ = tmp_ / "lower";
    upper_ = tmp_ / "new";
    for (const auto& root : {lower_, upper_}) {
      test::write(root + "/etc/hostname", "box\n");
      test::write(root + "/etc/removed", "bye");
      test::write(root + "/usr/bin/tool", "v1", 0755);
      test::write(root + "/usr/share/doc/readme", "docs");
      test::write(root + "/var/lib/gone/dir/file", "deep");
      ASSERT_EQ(::symlink("hostname", (root + "/etc/alias").c_str()), 0);
      for (const auto& f : {"/etc/hostname", "/etc/removed", "/usr/bin/tool",
                            "/usr/share/doc/readme", "/var/lib/gone/dir/file"}) {
        test::set_mtime(root + f, 1600000000);
      }
    }
    // The changes.
    test::write(upper_ + "/usr/bin/tool", "v2", 0755);
    test::write(upper_ + "/usr/bin/new", "new", 0700);
    ASSERT_EQ(::unlink((upper_ + "/etc/removed").c_str()), 0);
    ASSERT_TRUE(remove_all(upper_ + "/var/lib/gone").ok());
    ASSERT_EQ(::unlink((upper_ + "/etc/alias").c_str()), 0);
    ASSERT_EQ(::symlink("/etc/hostname", (upper_ + "/etc/alias").c_str()), 0);
    ASSERT_EQ(::link((upper_ + "/usr/bin/tool").c_str(), (upper_ + "/usr/bin/tool2").c_str()), 0);
    ASSERT_EQ(::chmod((upper_ + "/usr/share/doc/readme").c_str(), 0600), 0);
  }
  TempDir tmp_;
  std::string lower_, upper_;
};

TEST_F(DiffFixture, DirectoryDiffRoundTrips) {
  std::string out;
  StringWriter sink(&out);
  auto r = write_directory_diff({lower_}, upper_, sink);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->diff_id, Digest::of(out));
  auto names = entry_names(out);
  std::vector<std::string> expected = {"etc/",
                                       "etc/.wh.removed",
                                       "etc/alias",
                                       "usr/",
                                       "usr/bin/",
                                       "usr/bin/new",
                                       "usr/bin/tool",
                                       "usr/bin/tool2",
                                       "usr/share/",
                                       "usr/share/doc/",
                                       "usr/share/doc/readme",
                                       "var/",
                                       "var/lib/",
                                       "var/lib/.wh.gone"};
  EXPECT_EQ(names, expected);
  std::string merged = tmp_ / "merged";
  apply_onto(lower_, out, merged);
  EXPECT_EQ(test::tree(merged, false), test::tree(upper_, false));
  EXPECT_EQ(test::lstat_path(merged + "/usr/bin/tool2").st_ino,
            test::lstat_path(merged + "/usr/bin/tool").st_ino);
}

TEST_F(DiffFixture, DiffIsDeterministicAndCompressible) {
  std::string a, b, gz;
  StringWriter sa(&a), sb(&b), sg(&gz);
  auto ra = write_directory_diff({lower_}, upper_, sa);
  auto rb = write_directory_diff({lower_}, upper_, sb);
  DiffOptions options;
  options.compression = Compression::kGzip;
  auto rg = write_directory_diff({lower_}, upper_, sg, options);
  ASSERT_TRUE(ra.ok() && rb.ok() && rg.ok());
  EXPECT_EQ(a, b);
  EXPECT_EQ(rg->diff_id, ra->diff_id);
  EXPECT_EQ(rg->digest, Digest::of(gz));
  EXPECT_EQ(rg->size, gz.size());
  EXPECT_NE(rg->digest, rg->diff_id);
  // The compressed diff unpacks with the same DiffID.
  TempDir tmp;
  StringReader src(gz);
  UnpackOptions uo;
  uo.apply.whiteouts = WhiteoutMode::kDelete;
  uo.apply.rootless = !test::is_root();
  auto u = unpack_layer(src, tmp / "x", uo);
  ASSERT_TRUE(u.ok()) << u.error().to_string();
  EXPECT_EQ(u->diff_id, ra->diff_id);
}

TEST_F(DiffFixture, NoChangesGiveAnEmptyLayer) {
  std::string out;
  StringWriter sink(&out);
  auto r = write_directory_diff({lower_}, lower_, sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->diff_id.to_string(), kEmptyLayerDiffId);
}

TEST_F(DiffFixture, WholeTreeRoundTrips) {
  std::string out;
  StringWriter sink(&out);
  DiffOptions options;
  options.compression = Compression::kZstd;
  auto r = write_tar(upper_, sink, options);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  TempDir tmp;
  StringReader src(out);
  UnpackOptions uo;
  uo.apply.rootless = !test::is_root();
  auto u = unpack_layer(src, tmp / "copy", uo);
  ASSERT_TRUE(u.ok()) << u.error().to_string();
  EXPECT_EQ(u->diff_id, r->diff_id);
  EXPECT_EQ(test::tree(tmp / "copy"), test::tree(upper_));
}

TEST(LayerDiffTest, DiffAgainstALayerStack) {
  // Lowers in overlay form: the top layer deletes (by opaque dir) what the bottom one had.
  if (!test::is_root()) GTEST_SKIP() << "overlay-form layers need trusted xattrs";
  TempDir tmp;
  test::write(tmp / "l0/a/old", "x");
  test::write(tmp / "l0/b", "x");
  test::write(tmp / "l1/a/new", "y");
  ASSERT_EQ(::setxattr((tmp / "l1/a").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
  // The new tree equals the merged view exactly, plus one file.
  test::write(tmp / "n/a/new", "y");
  test::write(tmp / "n/b", "x");
  test::write(tmp / "n/c", "z");
  for (const auto& d : {"l0", "l1", "n"}) {
    for (const auto& f : {"a", "a/old", "a/new", "b"}) {
      std::string p = tmp / (std::string(d) + "/" + f);
      if (test::exists(p)) test::set_mtime(p, 1600000000);
    }
  }
  std::string out;
  StringWriter sink(&out);
  auto r = write_directory_diff({tmp / "l0", tmp / "l1"}, tmp / "n", sink);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(entry_names(out), std::vector<std::string>{"c"});
}

}  // namespace
}  // namespace berth::store
