// Store tests against the real kernel, as root: ownership, devices, privileged xattrs, and real
// overlay mounts of what the snapshotter describes.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "store/archive/layer_diff.h"
#include "store/archive/layer_unpack.h"
#include "store/archive/tar_reader.h"
#include "store/snapshot/overlay_snapshotter.h"
#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TarBuilder;
using test::TempDir;

class StoreRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::is_root()) GTEST_SKIP() << "needs root";
  }
  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
  }
  // Mounts a MountSpec the way the runtime will: mount(2) with its data, from its working_dir.
  void mount_spec(const MountSpec& spec, const std::string& target) {
    ASSERT_TRUE(make_dirs(target).ok());
    char cwd[4096];
    ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
    if (!spec.working_dir.empty()) {
      ASSERT_EQ(::chdir(spec.working_dir.c_str()), 0);
    }
    unsigned long flags = spec.type == "bind" ? MS_BIND | MS_RDONLY : 0;
    int rc = ::mount(spec.source.c_str(), target.c_str(), spec.type.c_str(), flags,
                     spec.type == "bind" ? nullptr : spec.data().c_str());
    int err = errno;
    ASSERT_EQ(::chdir(cwd), 0);
    ASSERT_EQ(rc, 0) << "mount " << spec.data() << ": " << strerror(err);
    mounts_.push_back(target);
  }
  void unmount(const std::string& target) {
    ASSERT_EQ(::umount2(target.c_str(), 0), 0);
    mounts_.erase(std::find(mounts_.begin(), mounts_.end(), target));
  }
  TempDir tmp_;
  std::vector<std::string> mounts_;
};

// A VFS_CAP_REVISION_2 capability set: cap_net_bind_service permitted and effective.
std::string net_bind_capability() {
  uint32_t words[5] = {0x02000001, 1u << 10, 0, 0, 0};
  return std::string(reinterpret_cast<const char*>(words), sizeof words);
}

TEST_F(StoreRootTest, UnpackKeepsOwnersDevicesAndXattrs) {
  TarHeader bin = TarBuilder::base("usr/bin/ping", EntryType::kRegular, 04755, 1600000000);
  bin.uid = 1000;
  bin.gid = 2000;
  bin.size = 4;
  bin.xattrs["security.capability"] = net_bind_capability();
  bin.xattrs["trusted.berth-test"] = "t";
  bin.xattrs["user.note"] = "u";
  TarHeader dir = TarBuilder::base("home/user/", EntryType::kDirectory, 0700, 1600000000);
  dir.uid = 123;
  dir.gid = 456;
  TarHeader link = TarBuilder::base("home/user/link", EntryType::kSymlink, 0777, 1600000000);
  link.uid = 123;
  link.gid = 456;
  link.link_target = "/nonexistent";
  TarHeader blk = TarBuilder::base("dev/loop9", EntryType::kBlockDevice, 0660, 1600000000);
  blk.dev_major = 7;
  blk.dev_minor = 9;
  blk.gid = 6;
  TarBuilder tar;
  tar.entry(bin, "ELF!").entry(dir).entry(link).chardev("dev/null", 1, 3).entry(blk);
  std::string dest = tmp_ / "layer";
  StringReader src(tar.tar());
  auto r = unpack_layer(src, dest);
  ASSERT_TRUE(r.ok()) << r.error().to_string();

  struct stat st = test::lstat_path(dest + "/usr/bin/ping");
  EXPECT_EQ(st.st_uid, 1000u);
  EXPECT_EQ(st.st_gid, 2000u);
  EXPECT_EQ(st.st_mode & 07777, 04755u);  // setuid survives the chown
  auto parent = fs::open_dir(dest + "/usr/bin");
  auto xattrs = fs::list_xattrs_at(parent->get(), "ping");
  ASSERT_TRUE(xattrs.ok());
  EXPECT_EQ(xattrs->at("security.capability"), net_bind_capability());  // set after chown
  EXPECT_EQ(xattrs->at("trusted.berth-test"), "t");
  EXPECT_EQ(xattrs->at("user.note"), "u");

  st = test::lstat_path(dest + "/home/user");
  EXPECT_EQ(st.st_uid, 123u);
  EXPECT_EQ(st.st_gid, 456u);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  st = test::lstat_path(dest + "/home/user/link");
  EXPECT_EQ(st.st_uid, 123u);

  st = test::lstat_path(dest + "/dev/null");
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
  EXPECT_EQ(st.st_mode & 07777, 0666u);
  st = test::lstat_path(dest + "/dev/loop9");
  EXPECT_TRUE(S_ISBLK(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(7, 9));
  EXPECT_EQ(st.st_gid, 6u);

  // And back: the whole tree archives to the same entries and metadata.
  std::string again;
  StringWriter sink(&again);
  ASSERT_TRUE(write_tar(dest, sink).ok());
  StringReader src2(again);
  ASSERT_TRUE(unpack_layer(src2, tmp_ / "copy").ok());
  EXPECT_EQ(test::tree(tmp_ / "copy"), test::tree(dest));
}

class OverlayTest : public StoreRootTest {
 protected:
  void SetUp() override {
    StoreRootTest::SetUp();
    if (IsSkipped()) return;
    auto s = OverlaySnapshotter::open(tmp_ / "snap");
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    snap_.emplace(s.take());
    TarBuilder base;
    base.dir("a/")
        .file("a/keep", "keep")
        .file("a/gone", "gone")
        .dir("dir/")
        .file("dir/old", "old")
        .file("dir/sub/x", "x")
        .file("file", "v1");
    base_ = add(std::nullopt, base.tar());
    TarBuilder top;
    top.file("a/.wh.gone", "").dir("dir/").file("dir/.wh..wh..opq", "").file("dir/new", "new");
    top_ = add(base_.chain_id, top.tar());
  }
  LayerInfo add(const std::optional<Digest>& parent, const std::string& bytes) {
    StringReader src(bytes);
    auto r = snap_->add_layer(parent, src);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : LayerInfo{};
  }
  std::optional<OverlaySnapshotter> snap_;
  LayerInfo base_, top_;
};

TEST_F(OverlayTest, WhiteoutsAndOpaqueDirsHideLowerFiles) {
  auto spec = snap_->prepare_active("c1", top_.chain_id);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  std::string merged = tmp_ / "merged";
  mount_spec(*spec, merged);
  EXPECT_EQ(test::slurp(merged + "/a/keep"), "keep");
  EXPECT_FALSE(test::exists(merged + "/a/gone"));
  EXPECT_FALSE(test::exists(merged + "/dir/old"));
  EXPECT_FALSE(test::exists(merged + "/dir/sub"));
  EXPECT_EQ(test::slurp(merged + "/dir/new"), "new");
  EXPECT_EQ(test::slurp(merged + "/file"), "v1");

  // A read-only view of the same stack shows the same tree.
  auto view = snap_->view(top_.chain_id);
  ASSERT_TRUE(view.ok());
  mount_spec(*view, tmp_ / "view");
  EXPECT_EQ(test::tree(tmp_ / "view"), test::tree(merged));
}

TEST_F(OverlayTest, ScratchAndLongStacksMount) {
  auto scratch = snap_->prepare_active("scratch", std::nullopt);
  ASSERT_TRUE(scratch.ok());
  mount_spec(*scratch, tmp_ / "scratch");
  test::write(tmp_ / "scratch/hello", "hi");
  EXPECT_EQ(test::slurp(tmp_ / "snap/active/scratch/upper/hello"), "hi");

  std::optional<Digest> parent = top_.chain_id;
  for (int i = 0; i < 30; ++i) {
    parent =
        add(parent, TarBuilder().file("f" + std::to_string(i), std::to_string(i)).tar()).chain_id;
  }
  SnapshotterOptions options;
  options.page_size = 700;  // forces relative short links
  auto small = OverlaySnapshotter::open(tmp_ / "snap", options);
  ASSERT_TRUE(small.ok());
  auto spec = small->prepare_active("long", parent);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  ASSERT_FALSE(spec->working_dir.empty());
  mount_spec(*spec, tmp_ / "long");
  EXPECT_EQ(test::slurp(tmp_ / "long/f29"), "29");
  EXPECT_EQ(test::slurp(tmp_ / "long/f0"), "0");
  EXPECT_EQ(test::slurp(tmp_ / "long/a/keep"), "keep");
}

TEST_F(OverlayTest, DiffOfARealUpperDirRoundTrips) {
  auto spec = snap_->prepare_active("c1", top_.chain_id);
  ASSERT_TRUE(spec.ok());
  std::string merged = tmp_ / "merged";
  mount_spec(*spec, merged);
  // A container's changes: add, modify, delete, replace a directory, chmod, chown.
  test::write(merged + "/added/new.txt", "added");
  test::write(merged + "/file", "v2");
  ASSERT_EQ(::unlink((merged + "/a/keep").c_str()), 0);
  ASSERT_TRUE(remove_all(merged + "/dir").ok());
  test::write(merged + "/dir/fresh", "fresh");
  ASSERT_EQ(::chown((merged + "/a").c_str(), 7, 7), 0);
  ASSERT_EQ(::mknod((merged + "/fifo").c_str(), S_IFIFO | 0600, 0), 0);
  auto expected = test::tree(merged, false);
  unmount(merged);

  auto lowers = snap_->layer_dirs(top_.chain_id);
  ASSERT_TRUE(lowers.ok());
  std::string out;
  StringWriter sink(&out);
  DiffOptions options;
  options.compression = Compression::kGzip;
  auto diff = write_layer_diff(*lowers, spec->upperdir, sink, options);
  ASSERT_TRUE(diff.ok()) << diff.error().to_string();

  std::vector<std::string> names;
  StringReader src(out);
  DecompressingReader plain(src);
  TarReader reader(plain);
  while (true) {
    auto h = reader.next();
    ASSERT_TRUE(h.ok());
    if (!*h) break;
    names.push_back((*h)->path);
  }
  std::vector<std::string> want = {"a/",   "a/.wh.keep",       "added/",    "added/new.txt",
                                   "dir/", "dir/.wh..wh..opq", "dir/fresh", "fifo",
                                   "file"};
  EXPECT_EQ(names, want);

  // Committing the diff as a layer reproduces the container's view.
  StringReader layer(out);
  auto committed = snap_->add_layer(top_.chain_id, layer);
  ASSERT_TRUE(committed.ok()) << committed.error().to_string();
  EXPECT_EQ(committed->diff_id, diff->diff_id);
  auto spec2 = snap_->prepare_active("c2", committed->chain_id);
  ASSERT_TRUE(spec2.ok());
  mount_spec(*spec2, tmp_ / "merged2");
  EXPECT_EQ(test::tree(tmp_ / "merged2", false), expected);
}

}  // namespace
}  // namespace berth::store
