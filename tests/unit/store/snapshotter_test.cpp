#include <thread>

#include <gtest/gtest.h>

#include "base/strings.h"
#include "store/snapshot/chain_id.h"
#include "store/snapshot/overlay_snapshotter.h"
#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TarBuilder;
using test::TempDir;

class SnapshotterTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen({}); }
  void reopen(SnapshotterOptions options) {
    options.rootless = !test::is_root();
    auto s = OverlaySnapshotter::open(tmp_ / "snap", options);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    snap_.emplace(s.take());
  }
  LayerInfo add(const std::optional<Digest>& parent, const std::string& tar_bytes) {
    StringReader src(tar_bytes);
    auto r = snap_->add_layer(parent, src);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : LayerInfo{};
  }
  std::string option(const MountSpec& spec, const std::string& prefix) {
    for (const auto& o : spec.options) {
      if (o.rfind(prefix, 0) == 0) return o.substr(prefix.size());
    }
    return "<none>";
  }
  TempDir tmp_;
  std::optional<OverlaySnapshotter> snap_;
};

TEST_F(SnapshotterTest, LayersAreKeyedByChainId) {
  std::string t0 = TarBuilder().file("etc/os-release", "base").tar();
  std::string t1 = TarBuilder().file("app/bin", "app", 0755).tar();
  LayerInfo l0 = add(std::nullopt, t0);
  LayerInfo l1 = add(l0.chain_id, t1);
  EXPECT_EQ(l0.chain_id, Digest::of(t0));
  EXPECT_EQ(l0.diff_id, Digest::of(t0));
  EXPECT_EQ(l1.diff_id, Digest::of(t1));
  EXPECT_EQ(l1.chain_id, chain_id(l0.chain_id, l1.diff_id));
  EXPECT_EQ(l1.parent, l0.chain_id);
  EXPECT_EQ(l0.size, 4u);
  EXPECT_EQ(l1.path, tmp_ / ("snap/layers/" + l1.chain_id.hex() + "/fs"));
  EXPECT_EQ(test::slurp(l1.path + "/app/bin"), "app");
  EXPECT_TRUE(snap_->has_layer(l1.chain_id));
  EXPECT_EQ(snap_->list_layers()->size(), 2u);
  EXPECT_EQ(snap_->layer_dirs(l1.chain_id).value(), (std::vector<std::string>{l0.path, l1.path}));

  // The same layer again (another image sharing it) is the same snapshot.
  LayerInfo again = add(std::nullopt, t0);
  EXPECT_EQ(again.chain_id, l0.chain_id);
  EXPECT_EQ(snap_->list_layers()->size(), 2u);
  // Known DiffID: found without reading the stream.
  FunctionReader never([](char*, size_t) -> Result<size_t> {
    return make_error(ErrorCode::kInternal, "should not be read");
  });
  auto known = snap_->add_layer(std::nullopt, never, l0.diff_id);
  ASSERT_TRUE(known.ok()) << known.error().to_string();
  EXPECT_EQ(known->chain_id, l0.chain_id);
  // A wrong DiffID fails and leaves nothing.
  std::string other = TarBuilder().file("x", "y").tar();
  StringReader src(other);
  auto wrong = snap_->add_layer(std::nullopt, src, Digest::of("other"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(snap_->list_layers()->size(), 2u);
  // Unknown parents are refused.
  StringReader src2(t1);
  EXPECT_EQ(snap_->add_layer(Digest::of("nope"), src2).error().code(), ErrorCode::kNotFound);
}

TEST_F(SnapshotterTest, ConcurrentPullsOfOneLayer) {
  std::string t = TarBuilder().file("big", std::string(1 << 20, 'b')).tar();
  std::vector<std::thread> threads;
  std::vector<Digest> got(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      StringReader src(t);
      auto r = snap_->add_layer(std::nullopt, src);
      if (r.ok()) got[i] = r->chain_id;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& g : got) EXPECT_EQ(g, Digest::of(t));
  EXPECT_EQ(snap_->list_layers()->size(), 1u);
  auto tmp_fd = fs::open_dir(tmp_ / "snap/tmp");
  EXPECT_TRUE(fs::list_dir(tmp_fd->get())->empty());
  auto links = fs::open_dir(tmp_ / "snap/l");
  EXPECT_EQ(fs::list_dir(links->get())->size(), 1u);
}

TEST_F(SnapshotterTest, PrepareActiveDescribesTheOverlay) {
  LayerInfo l0 = add(std::nullopt, TarBuilder().file("a", "0").tar());
  LayerInfo l1 = add(l0.chain_id, TarBuilder().file("b", "1").tar());
  auto spec = snap_->prepare_active("ctr1", l1.chain_id);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  EXPECT_EQ(spec->type, "overlay");
  EXPECT_EQ(spec->source, "overlay");
  EXPECT_TRUE(spec->working_dir.empty());
  // lowerdir lists the top layer first.
  EXPECT_EQ(option(*spec, "lowerdir="), l1.path + ":" + l0.path);
  EXPECT_EQ(option(*spec, "upperdir="), tmp_ / "snap/active/ctr1/upper");
  EXPECT_EQ(option(*spec, "workdir="), tmp_ / "snap/active/ctr1/work");
  EXPECT_EQ(spec->lowerdirs, (std::vector<std::string>{l1.path, l0.path}));
  EXPECT_TRUE(test::exists(spec->upperdir));
  EXPECT_TRUE(test::exists(spec->workdir));
  EXPECT_EQ(spec->data(), join(spec->options, ","));
  EXPECT_EQ(snap_->active_mount("ctr1")->options, spec->options);
  EXPECT_EQ(snap_->prepare_active("ctr1", l1.chain_id).error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(snap_->prepare_active("../x", l1.chain_id).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(snap_->prepare_active("ctr2", Digest::of("x")).error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(test::exists(tmp_ / "snap/active/ctr2"));

  // Scratch: the empty dir is the only lower.
  auto scratch = snap_->prepare_active("scratch", std::nullopt);
  ASSERT_TRUE(scratch.ok());
  EXPECT_EQ(option(*scratch, "lowerdir="), tmp_ / "snap/empty");

  // Views: one layer is a read-only bind, more is an overlay without upper.
  auto v1 = snap_->view(l0.chain_id);
  EXPECT_EQ(v1->type, "bind");
  EXPECT_EQ(v1->source, l0.path);
  auto v2 = snap_->view(l1.chain_id);
  EXPECT_EQ(v2->type, "overlay");
  EXPECT_EQ(option(*v2, "upperdir="), "<none>");

  EXPECT_EQ(snap_->list_active()->size(), 2u);
  ASSERT_TRUE(snap_->remove_active("ctr1").ok());
  EXPECT_FALSE(test::exists(tmp_ / "snap/active/ctr1"));
  EXPECT_EQ(snap_->remove_active("ctr1").error().code(), ErrorCode::kNotFound);
}

TEST_F(SnapshotterTest, LongStacksFallBackToShortLinks) {
  std::optional<Digest> parent;
  std::vector<LayerInfo> layers;
  for (int i = 0; i < 20; ++i) {
    layers.push_back(add(parent, TarBuilder().file("f" + std::to_string(i), "x").tar()));
    parent = layers.back().chain_id;
  }
  // A tiny page forces the fallbacks the kernel's 4 KiB limit forces for ~40 layers.
  SnapshotterOptions options;
  options.page_size = 1800;
  reopen(options);
  auto spec = snap_->prepare_active("c", parent);
  ASSERT_TRUE(spec.ok()) << spec.error().to_string();
  std::string lower = option(*spec, "lowerdir=");
  EXPECT_EQ(lower.find(tmp_.path() + "/snap/layers"), std::string::npos);
  EXPECT_NE(lower.find(tmp_.path() + "/snap/l/"), std::string::npos);
  EXPECT_TRUE(spec->working_dir.empty());
  // Each short link resolves to its layer.
  auto first = split(lower, ':').front();
  char buf[4096] = {};
  ASSERT_GT(::readlink(first.c_str(), buf, sizeof buf), 0);
  EXPECT_EQ(std::string(buf), "../layers/" + layers.back().chain_id.hex() + "/fs");

  options.page_size = 400;
  reopen(options);
  auto rel = snap_->active_mount("c");
  ASSERT_TRUE(rel.ok()) << rel.error().to_string();
  EXPECT_EQ(rel->working_dir, tmp_ / "snap");
  EXPECT_EQ(option(*rel, "lowerdir=").rfind("l/", 0), 0u);
  EXPECT_EQ(option(*rel, "upperdir="), "active/c/upper");
  EXPECT_LE(rel->data().size() + 1, 400u);
  EXPECT_EQ(rel->lowerdirs.size(), 20u);

  options.page_size = 100;
  reopen(options);
  EXPECT_EQ(snap_->active_mount("c").error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(SnapshotterTest, RemoveAndPruneRespectUsers) {
  LayerInfo base = add(std::nullopt, TarBuilder().file("base", "b").tar());
  LayerInfo a = add(base.chain_id, TarBuilder().file("a", "a").tar());
  LayerInfo b = add(base.chain_id, TarBuilder().file("b", "bb").tar());
  LayerInfo orphan = add(std::nullopt, TarBuilder().file("o", "ooo").tar());
  ASSERT_TRUE(snap_->prepare_active("ctr", b.chain_id).ok());
  test::write(tmp_ / "snap/active/ctr/upper/new", "12345");

  EXPECT_EQ(snap_->remove_layer(base.chain_id).error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(snap_->remove_layer(b.chain_id).error().code(), ErrorCode::kFailedPrecondition);

  auto usage = snap_->usage();
  ASSERT_TRUE(usage.ok());
  EXPECT_EQ(usage->layers, 4u);
  EXPECT_EQ(usage->layers_size, 7u);
  EXPECT_EQ(usage->active, 1u);
  EXPECT_EQ(usage->active_size, 5u);

  // Keep image "a": base and a stay; b stays for the container; orphan goes.
  auto stats = snap_->prune_layers({a.chain_id});
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(stats->layers_removed, 1u);
  EXPECT_EQ(stats->bytes_freed, 3u);
  EXPECT_FALSE(snap_->has_layer(orphan.chain_id));
  EXPECT_TRUE(snap_->has_layer(b.chain_id));

  ASSERT_TRUE(snap_->remove_active("ctr").ok());
  ASSERT_TRUE(snap_->remove_layer(b.chain_id).ok());
  EXPECT_FALSE(test::exists(b.path));
  stats = snap_->prune_layers({});
  EXPECT_EQ(stats->layers_removed, 2u);
  EXPECT_TRUE(snap_->list_layers()->empty());
  auto links = fs::open_dir(tmp_ / "snap/l");
  EXPECT_TRUE(fs::list_dir(links->get())->empty());
}

TEST_F(SnapshotterTest, OpenCleansInterruptedWork) {
  ASSERT_TRUE(make_dirs(tmp_ / "snap/tmp/half-unpacked/fs").ok());
  ASSERT_EQ(::symlink("../layers/nothing/fs", (tmp_ / "snap/l/dangling").c_str()), 0);
  reopen({});
  EXPECT_FALSE(test::exists(tmp_ / "snap/tmp/half-unpacked"));
  EXPECT_FALSE(test::exists(tmp_ / "snap/l/dangling"));
}

}  // namespace
}  // namespace berth::store
