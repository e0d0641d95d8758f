// The image store's metadata, transactions, lookups and garbage collection.
#include "image/image_store.h"

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "image/media_types.h"
#include "image_test_util.h"
#include "state/database.h"
#include "store/snapshot/chain_id.h"

namespace berth::image {
namespace {

using test::counts;
using test::TempDir;

class ImageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = test::open_store(dir_.path(), [this] { return users_; });
    ASSERT_TRUE(store_);
  }

  // Adds a one-layer image (blob, layer, config) and returns what commit() needs.
  NewImage make_image(const std::string& marker, std::vector<std::string> tags = {}) {
    std::string tar = test::rootfs_tar(marker);
    std::string blob = test::compress(tar, store::Compression::kGzip);
    auto blob_digest = store_->content().write_blob(blob).value();
    store::StringReader reader(blob);
    auto layer = store_->snapshots().add_layer(std::nullopt, reader, store::Digest::of(tar));
    EXPECT_TRUE(layer.ok()) << layer.error().to_string();
    ImageConfig config;
    config.architecture = "amd64";
    config.os = "linux";
    config.created_ns = 1'600'000'000'000'000'000 + static_cast<int64_t>(marker.size());
    config.diff_ids = {store::Digest::of(tar)};
    ContainerConfig cc;
    cc.labels = std::map<std::string, std::string>{{"marker", marker}};
    config.config = cc;
    std::string config_bytes = serialize_image_config(config);
    NewImage image;
    image.id = store_->content().write_blob(config_bytes).value();
    image.config_media_type = media::kDockerConfig;
    image.config = config;
    image.layers = {{config.diff_ids[0], layer->chain_id}};
    image.size = static_cast<int64_t>(layer->size);
    image.layer_blobs = {{config.diff_ids[0],
                          blob_digest,
                          std::string(media::kDockerLayerGzip),
                          static_cast<int64_t>(blob.size()),
                          {}}};
    for (const auto& t : tags)
      image.tags.push_back(Reference::parse_normalized(t)->tag_or_latest());
    return image;
  }

  TempDir dir_;
  std::set<store::Digest> users_;
  std::unique_ptr<ImageStore> store_;
};

TEST_F(ImageStoreTest, CommitAndLookups) {
  auto image = make_image("one", {"busybox", "127.0.0.1:5000/a/b:v1"});
  auto digest_ref = Reference::parse_normalized("busybox@sha256:" + std::string(64, 'd')).value();
  image.repo_digests = {digest_ref};
  auto commit = store_->commit(image);
  ASSERT_TRUE(commit.ok()) << commit.error().to_string();
  EXPECT_TRUE(commit->created);
  EXPECT_TRUE(commit->moved_tags.empty());

  auto rec = store_->get(image.id).value();
  EXPECT_EQ(rec.tags.size(), 2u);
  EXPECT_EQ(rec.digests.size(), 1u);
  EXPECT_EQ(rec.labels.at("marker"), "one");
  EXPECT_EQ(rec.layers.size(), 1u);
  EXPECT_EQ(rec.top_layer, rec.layers[0].chain_id);
  EXPECT_EQ(rec.platform.architecture, "amd64");

  for (const std::string& name :
       {std::string("busybox"), std::string("busybox:latest"),
        std::string("docker.io/library/busybox"), std::string("127.0.0.1:5000/a/b:v1"),
        image.id.to_string(), image.id.hex(), image.id.hex().substr(0, 12),
        "sha256:" + image.id.hex().substr(0, 8), "busybox@sha256:" + std::string(64, 'd')}) {
    auto found = store_->resolve(name);
    ASSERT_TRUE(found.ok()) << name << ": " << found.error().to_string();
    EXPECT_EQ(found->id, image.id) << name;
  }
  auto missing = store_->resolve("nothing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message(), "No such image: nothing:latest");
  EXPECT_EQ(store_->resolve("sha256:" + std::string(64, 'f')).error().message(),
            "No such image: sha256:" + std::string(64, 'f'));
  EXPECT_EQ(store_->resolve("Bad").error().code(), ErrorCode::kInvalidArgument);

  auto repo_tags = store_->repository_tags("docker.io/library/busybox").value();
  ASSERT_EQ(repo_tags.size(), 1u);
  EXPECT_EQ(repo_tags[0].second, image.id);
}

TEST_F(ImageStoreTest, TagsMoveBetweenImages) {
  auto a = make_image("a", {"app:1"});
  auto b = make_image("bb", {"app:1"});
  ASSERT_TRUE(store_->commit(a).ok());
  auto moved = store_->commit(b).value();
  ASSERT_EQ(moved.moved_tags.size(), 1u);
  EXPECT_EQ(moved.moved_tags[0].second, a.id);
  EXPECT_TRUE(store_->get(a.id)->tags.empty());
  EXPECT_EQ(store_->resolve("app:1")->id, b.id);
  // A second commit of the same image changes nothing but references.
  EXPECT_FALSE(store_->commit(b)->created);

  ASSERT_TRUE(
      store_->add_reference(Reference::parse_normalized("app:2")->tag_or_latest(), a.id).ok());
  EXPECT_TRUE(store_->get(a.id)->last_tag_time_ns.has_value());
  ASSERT_TRUE(store_->remove_reference(Reference::parse_normalized("app:2").value()).ok());
  EXPECT_EQ(store_->remove_reference(Reference::parse_normalized("app:2").value()).error().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->add_reference(Reference::parse_normalized("x").value(), a.id).error().code(),
            ErrorCode::kInvalidArgument);  // neither tag nor digest
}

TEST_F(ImageStoreTest, AmbiguousPrefix) {
  // Among 17 images two IDs share their first hex digit (pigeonhole).
  std::vector<NewImage> images;
  for (int i = 0; i < 17; ++i) {
    images.push_back(make_image("m" + std::to_string(i)));
    ASSERT_TRUE(store_->commit(images.back()).ok());
  }
  std::map<char, int> first;
  for (const auto& im : images) ++first[im.id.hex()[0]];
  for (const auto& [c, n] : first) {
    if (n < 2) continue;
    auto r = store_->resolve(std::string(1, c));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message().find("ambiguous"), std::string::npos);
    return;
  }
  FAIL() << "no shared prefix among 17 IDs";
}

TEST_F(ImageStoreTest, CommitAllIsAllOrNothing) {
  auto good = make_image("good", {"good"});
  auto bad = make_image("bad", {"bad"});
  bad.layers.clear();  // does not match its diff_ids
  auto r = store_->commit_all({good, bad});
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(store_->exists(good.id));
  EXPECT_FALSE(store_->resolve("good").ok());
}

TEST_F(ImageStoreTest, CrashBeforeCommitLeavesStoreConsistent) {
  auto image = make_image("crash", {"crash"});
  // A child process writes the image's rows in a transaction and dies before COMMIT.
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto db = state::Database::open(dir_ / "berth.db");
    if (!db.ok()) ::_exit(2);
    auto s = (*db)->session();
    auto tx = s.begin();
    if (!tx.ok()) ::_exit(3);
    auto st = s.execute(
        "INSERT INTO images(id, config_media_type, os, architecture, size, format, added) "
        "VALUES (?, 'x', 'linux', 'amd64', 1, 'docker', 1)",
        image.id.to_string());
    if (!st.ok()) ::_exit(4);
    st = s.execute(
        "INSERT INTO tags(name, repository, tag, image_id, created) VALUES (?, ?, ?, ?, 1)",
        "docker.io/library/crash:latest", "docker.io/library/crash", "latest",
        image.id.to_string());
    if (!st.ok()) ::_exit(5);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // Reopen as after a restart: nothing of the transaction is there; the blobs and layer the
  // operation had written are unreferenced, and GC removes them.
  store_.reset();
  store_ = test::open_store(dir_.path());
  EXPECT_FALSE(store_->exists(image.id));
  EXPECT_FALSE(store_->resolve("crash").ok());
  EXPECT_EQ(counts(*store_).blobs, 2u);
  EXPECT_EQ(counts(*store_).layers, 1u);
  auto gc = store_->collect_garbage().value();
  EXPECT_EQ(gc.blobs_removed, 2u);
  EXPECT_EQ(gc.removed_layers.size(), 1u);
  EXPECT_EQ(counts(*store_), (test::StoreCounts{0, 0, 0, 0}));
}

TEST_F(ImageStoreTest, GarbageCollectionKeepsWhatIsReferencedLeasedOrUsed) {
  auto kept = make_image("kept", {"kept"});
  ASSERT_TRUE(store_->commit(kept).ok());
  auto leased = make_image("leased");
  auto used = make_image("used-by-container");
  auto garbage = make_image("garbage");
  {
    Lease lease = store_->lease();
    lease.pin_blob(leased.id);
    lease.pin_blob(leased.layer_blobs[0].digest);
    lease.pin_layer(leased.layers[0].chain_id);
    users_ = {used.layers[0].chain_id};
    auto gc = store_->collect_garbage().value();
    EXPECT_TRUE(store_->content().exists(kept.id));
    EXPECT_TRUE(store_->content().exists(kept.layer_blobs[0].digest));
    EXPECT_TRUE(store_->snapshots().has_layer(kept.layers[0].chain_id));
    EXPECT_TRUE(store_->content().exists(leased.id));
    EXPECT_TRUE(store_->snapshots().has_layer(leased.layers[0].chain_id));
    EXPECT_TRUE(store_->snapshots().has_layer(used.layers[0].chain_id));
    EXPECT_FALSE(store_->content().exists(garbage.id));
    EXPECT_FALSE(store_->snapshots().has_layer(garbage.layers[0].chain_id));
    ASSERT_EQ(gc.removed_layers.size(), 1u);
    EXPECT_EQ(gc.removed_layers[0], garbage.layers[0].chain_id);
  }
  // Lease over: its pins go at the next collection.
  store_->collect_garbage().value();
  EXPECT_FALSE(store_->content().exists(leased.id));
  EXPECT_FALSE(store_->snapshots().has_layer(leased.layers[0].chain_id));
  // Removing the image's metadata frees its files.
  ASSERT_TRUE(store_->remove_image(kept.id).ok());
  EXPECT_FALSE(store_->resolve("kept").ok());
  store_->collect_garbage().value();
  EXPECT_FALSE(store_->content().exists(kept.id));
  EXPECT_FALSE(store_->snapshots().has_layer(kept.layers[0].chain_id));
}

TEST_F(ImageStoreTest, SharedLayersSurviveTheirFirstImage) {
  auto a = make_image("shared", {"a"});
  ASSERT_TRUE(store_->commit(a).ok());
  // Same layer, different config (another label).
  NewImage b = a;
  b.config.config->labels = std::map<std::string, std::string>{{"other", "1"}};
  std::string cfg = serialize_image_config(b.config);
  b.id = store_->content().write_blob(cfg).value();
  b.tags = {Reference::parse_normalized("b")->tag_or_latest()};
  ASSERT_TRUE(store_->commit(b).ok());
  ASSERT_TRUE(store_->remove_image(a.id).ok());
  auto gc = store_->collect_garbage().value();
  EXPECT_TRUE(gc.removed_layers.empty());
  EXPECT_TRUE(store_->snapshots().has_layer(a.layers[0].chain_id));
  EXPECT_TRUE(store_->content().exists(a.layer_blobs[0].digest));
  EXPECT_FALSE(store_->content().exists(a.id));
}

TEST_F(ImageStoreTest, SharedDatabase) {
  TempDir other;
  auto db = state::Database::open(other / "daemon.db").take();
  ImageStoreOptions options;
  options.root = other / "images";
  options.database = db.get();
  options.snapshotter.rootless = ::geteuid() != 0;
  auto s = ImageStore::open(options);
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_FALSE(path_exists(other / "images/berth.db"));
  auto st = db->session().prepare("SELECT count(*) FROM images");
  EXPECT_TRUE(st.ok());
}

}  // namespace
}  // namespace berth::image
