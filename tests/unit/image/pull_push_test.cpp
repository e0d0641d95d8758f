// pull and push against FakeRegistry: the orchestration, its progress messages, and every
// failure leaving the store as it was.
#include <thread>

#include <gtest/gtest.h>

#include "image/import.h"
#include "image/pull.h"
#include "image/push.h"
#include "image_test_util.h"

namespace berth::image {
namespace {

using test::counts;
using test::publish_image;
using test::TempDir;

const RemoteRepository kRepo{"127.0.0.1:5000", "team/app"};

class PullPushTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = test::open_store(dir_.path()); }

  Result<PullResult> pull(const std::string& name, PullOptions options = {}) {
    messages_.clear();
    ProgressOutput progress([&](const JsonMessage& m) { messages_.push_back(m); });
    if (!options.fetch_url) {
      options.fetch_url = [this](const std::string& url, store::Writer& sink,
                                 const TransferProgressFn& p) {
        return reg_.fetch_url(url, sink, p);
      };
    }
    return pull_image(*store_, reg_, Reference::parse_normalized(name).value(), options, progress);
  }

  Result<std::vector<PushedTag>> push(ImageStore& s, const std::string& name) {
    messages_.clear();
    ProgressOutput progress([&](const JsonMessage& m) { messages_.push_back(m); });
    return push_image(s, reg_, Reference::parse_normalized(name).value(), {}, progress);
  }

  std::vector<std::string> statuses(const std::string& id = "") {
    std::vector<std::string> out;
    for (const auto& m : messages_) {
      if ((id.empty() || m.id == id) && !m.status.empty() && m.status != "Downloading" &&
          m.status != "Extracting" && m.status != "Pushing") {
        out.push_back(m.id.empty() ? m.status : m.id + ": " + m.status);
      }
    }
    return out;
  }

  bool has_status(const std::string& s) {
    for (const auto& m : messages_) {
      if (m.status == s) return true;
    }
    return false;
  }

  std::string file_in(const std::string& name, const std::string& path) {
    auto rec = store_->resolve(name);
    if (!rec.ok()) return "<no image>";
    // The merged view: the topmost layer that has the file.
    auto dirs = store_->snapshots().layer_dirs(rec->top_layer).value();
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
      auto text = read_file(*it + "/" + path);
      if (text.ok()) return *text;
    }
    return "<missing>";
  }

  TempDir dir_;
  std::unique_ptr<ImageStore> store_;
  test::FakeRegistry reg_;
  std::vector<JsonMessage> messages_;
};

// Bytes that do not compress, so a layer's blob is as big as its content.
std::string noise(size_t n, uint32_t seed) {
  std::string out(n, '\0');
  for (auto& c : out) {
    seed = seed * 1664525u + 1013904223u;
    c = static_cast<char>(seed >> 24);
  }
  return out;
}

std::vector<std::string> three_layers(const std::string& tag) {
  test::TarBuilder top;
  top.dir("etc").file("etc/marker", "top " + tag).file("etc/.wh.removed", "");
  return {
      test::rootfs_tar("base"),
      test::TarBuilder()
          .dir("usr")
          .file("usr/lib.so", std::string(300000, 'L'))
          .file("usr/noise", noise(100000, static_cast<uint32_t>(std::hash<std::string>()(tag))))
          .tar(),
      top.tar()};
}

TEST_F(PullPushTest, PullsAnImageWithDockersMessages) {
  auto pub = publish_image(reg_, kRepo, "v1", three_layers("v1"));
  auto r = pull("127.0.0.1:5000/team/app:v1");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->image_id, pub.config_digest);
  EXPECT_EQ(r->digest, pub.manifest_digest);
  EXPECT_TRUE(r->updated);

  auto rec = store_->get(pub.config_digest).value();
  ASSERT_EQ(rec.tags.size(), 1u);
  EXPECT_EQ(rec.tags[0].string(), "127.0.0.1:5000/team/app:v1");
  ASSERT_EQ(rec.digests.size(), 1u);
  EXPECT_EQ(rec.digests[0].string(), "127.0.0.1:5000/team/app@" + pub.manifest_digest.to_string());
  EXPECT_EQ(rec.layers.size(), 3u);
  EXPECT_EQ(rec.format, ManifestFormat::kDocker);
  EXPECT_GT(rec.size, 300000);
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:v1", "etc/marker"), "top v1");
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:v1", "usr/lib.so"), std::string(300000, 'L'));
  EXPECT_TRUE(store_->content().exists(pub.manifest_digest));

  std::string l0 = short_id(pub.layer_digests[0].to_string());
  EXPECT_EQ(messages_.front().status, "Pulling from team/app");
  EXPECT_EQ(messages_.front().id, "v1");
  EXPECT_EQ(statuses(l0),
            (std::vector<std::string>{l0 + ": Pulling fs layer", l0 + ": Verifying Checksum",
                                      l0 + ": Download complete", l0 + ": Pull complete"}));
  auto all = statuses();
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all[all.size() - 2], "Digest: " + pub.manifest_digest.to_string());
  EXPECT_EQ(all.back(), "Status: Downloaded newer image for 127.0.0.1:5000/team/app:v1");
  EXPECT_TRUE(has_status("Downloading"));
  EXPECT_TRUE(has_status("Extracting"));

  // Again: nothing to fetch, Docker's "up to date".
  int fetches = reg_.calls().fetches;
  auto again = pull("127.0.0.1:5000/team/app:v1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->updated);
  EXPECT_EQ(reg_.calls().fetches, fetches);
  EXPECT_EQ(statuses(),
            (std::vector<std::string>{
                "v1: Pulling from team/app", "Digest: " + pub.manifest_digest.to_string(),
                "Status: Image is up to date for 127.0.0.1:5000/team/app:v1"}));
}

TEST_F(PullPushTest, SharedLayersAlreadyExist) {
  auto layers = three_layers("a");
  publish_image(reg_, kRepo, "a", layers);
  ASSERT_TRUE(pull("127.0.0.1:5000/team/app:a").ok());
  layers[2] = test::rootfs_tar("only in b");
  auto b = publish_image(reg_, kRepo, "b", layers);
  int fetches = reg_.calls().fetches;
  ASSERT_TRUE(pull("127.0.0.1:5000/team/app:b").ok());
  EXPECT_EQ(reg_.calls().fetches, fetches + 2);  // the config and the new top layer
  EXPECT_EQ(statuses(short_id(b.layer_digests[0].to_string())).back(),
            short_id(b.layer_digests[0].to_string()) + ": Already exists");
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:b", "etc/marker"), "only in b");
  EXPECT_EQ(counts(*store_).layers, 4u);
}

TEST_F(PullPushTest, ByDigestAndZstdOci) {
  auto pub = publish_image(reg_, kRepo, "", three_layers("zstd"), store::Compression::kZstd, true);
  auto r = pull("127.0.0.1:5000/team/app@" + pub.manifest_digest.to_string());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  auto rec = store_->get(r->image_id).value();
  EXPECT_TRUE(rec.tags.empty());
  EXPECT_EQ(rec.digests.size(), 1u);
  EXPECT_EQ(rec.format, ManifestFormat::kOci);
  EXPECT_EQ(statuses().back(), "Status: Downloaded newer image for 127.0.0.1:5000/team/app@" +
                                   pub.manifest_digest.to_string());
}

TEST_F(PullPushTest, SmallPipesDetachAndStillUnpackEverything) {
  std::vector<std::string> layers;
  for (int i = 0; i < 6; ++i) {
    layers.push_back(
        test::TarBuilder().file("f" + std::to_string(i), std::string(200000, 'a' + i)).tar());
  }
  publish_image(reg_, kRepo, "many", layers, store::Compression::kNone);
  PullOptions options;
  options.pipe_capacity = 4096;
  options.max_concurrent_downloads = 3;
  auto r = pull("127.0.0.1:5000/team/app:many", options);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:many", "f5"), std::string(200000, 'f'));
  EXPECT_EQ(counts(*store_).layers, 6u);
}

TEST_F(PullPushTest, MultiPlatformIndex) {
  auto amd = publish_image(reg_, kRepo, "", {test::rootfs_tar("amd64")}, store::Compression::kGzip,
                           true, "amd64");
  auto arm = publish_image(reg_, kRepo, "", {test::rootfs_tar("arm64")}, store::Compression::kGzip,
                           true, "arm64", "v8");
  ImageIndex index;
  index.media_type = media::kOciIndex;
  index.manifests = {Descriptor{std::string(media::kOciManifest),
                                amd.manifest_digest,
                                static_cast<int64_t>(amd.manifest_bytes.size()),
                                {},
                                {},
                                Platform{"linux", "amd64", "", "", {}}},
                     Descriptor{std::string(media::kOciManifest),
                                arm.manifest_digest,
                                static_cast<int64_t>(arm.manifest_bytes.size()),
                                {},
                                {},
                                Platform{"linux", "arm64", "v8", "", {}}}};
  std::string index_bytes = serialize_index(index);
  auto index_digest =
      reg_.put_manifest_bytes(kRepo, "multi", std::string(media::kOciIndex), index_bytes);

  PullOptions arm64;
  arm64.platform = parse_platform("linux/arm64/v8").value();
  auto r = pull("127.0.0.1:5000/team/app:multi", arm64);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->image_id, arm.config_digest);
  EXPECT_EQ(r->digest, index_digest);
  EXPECT_EQ(store_->config(r->image_id)->architecture, "arm64");
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:multi", "etc/marker"), "arm64");
  auto rec = store_->get(r->image_id).value();
  EXPECT_EQ(rec.digests[0].digest(), index_digest);
  EXPECT_EQ(rec.manifests.size(), 2u);  // the platform's manifest and the index

  PullOptions s390x;
  s390x.platform = parse_platform("linux/s390x").value();
  auto none = pull("127.0.0.1:5000/team/app:multi", s390x);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(),
            "no matching manifest for linux/s390x in the manifest list entries");

  if (host_platform().architecture == "amd64") {
    auto host = pull("127.0.0.1:5000/team/app:multi");
    ASSERT_TRUE(host.ok());
    EXPECT_EQ(host->image_id, amd.config_digest);
  }
  // An explicit platform that a single-platform image does not have.
  publish_image(reg_, kRepo, "single", {test::rootfs_tar("x")});
  auto wrong = pull("127.0.0.1:5000/team/app:single", arm64);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find(
                "does not match the specified platform: wanted linux/arm64, actual: linux/amd64"),
            std::string::npos)
      << wrong.error().message();
}

TEST_F(PullPushTest, BadRegistryContentChangesNothing) {
  auto expect_fails = [&](const std::string& tag, const std::string& want, ErrorCode code) {
    auto before = counts(*store_);
    auto r = pull("127.0.0.1:5000/team/app:" + tag);
    ASSERT_FALSE(r.ok()) << tag;
    EXPECT_NE(r.error().message().find(want), std::string::npos)
        << tag << ": " << r.error().message();
    EXPECT_EQ(r.error().code(), code) << tag << ": " << r.error().to_string();
    EXPECT_EQ(counts(*store_), before) << tag;
    EXPECT_FALSE(store_->resolve("127.0.0.1:5000/team/app:" + tag).ok());
  };
  {
    auto pub = publish_image(reg_, kRepo, "corrupt", three_layers("corrupt"));
    reg_.corrupt_blob(pub.layer_digests[1]);
    expect_fails("corrupt", pub.layer_digests[1].to_string(), ErrorCode::kDataLoss);
  }
  {
    auto pub = publish_image(reg_, kRepo, "truncated", three_layers("truncated"));
    reg_.truncate_blob(pub.layer_digests[2], 100);
    expect_fails("truncated", "size", ErrorCode::kDataLoss);
  }
  {
    auto pub = publish_image(reg_, kRepo, "reset", three_layers("reset"));
    reg_.fail_fetch_after(pub.layer_digests[1], 20000);
    expect_fails("reset", "connection reset by peer", ErrorCode::kUnavailable);
  }
  {
    // The manifest says a layer is bigger than it is.
    auto pub = publish_image(reg_, kRepo, "", three_layers("lies"));
    auto m = parse_image_manifest(pub.manifest_bytes).value();
    m.layers[2].size += 1;
    reg_.put_manifest_bytes(kRepo, "lies", m.media_type, serialize_manifest(m));
    expect_fails("lies", "size", ErrorCode::kDataLoss);
  }
  {
    // The config's DiffIDs do not describe the layers.
    auto layers = three_layers("diff");
    auto pub = publish_image(reg_, kRepo, "", layers);
    auto config = parse_image_config(pub.config_bytes).value();
    config.diff_ids[2] = store::Digest::of("something else");
    std::string config_bytes = serialize_image_config(config);
    reg_.put_blob(kRepo, config_bytes);
    auto m = parse_image_manifest(pub.manifest_bytes).value();
    m.config.digest = store::Digest::of(config_bytes);
    m.config.size = static_cast<int64_t>(config_bytes.size());
    reg_.put_manifest_bytes(kRepo, "diffid", m.media_type, serialize_manifest(m));
    expect_fails("diffid", "DiffID", ErrorCode::kDataLoss);
  }
  {
    // A layer that escapes its root.
    auto pub =
        publish_image(reg_, kRepo, "escape",
                      {test::rootfs_tar("ok"), test::TarBuilder().file("../../evil", "x").tar()});
    expect_fails("escape", "escapes", ErrorCode::kPermissionDenied);
  }
  {
    std::string schema1 = R"({"schemaVersion":1,"name":"team/app","tag":"old","fsLayers":[]})";
    reg_.put_manifest_bytes(kRepo, "old",
                            "application/vnd.docker.distribution.manifest.v1+prettyjws", schema1);
    expect_fails("old",
                 "schema 1 is not supported. Suggest the author of 127.0.0.1:5000/team/app:old",
                 ErrorCode::kUnimplemented);
  }
  expect_fails("nonexistent", "manifest unknown", ErrorCode::kNotFound);
}

TEST_F(PullPushTest, CancelledPullChangesNothing) {
  publish_image(reg_, kRepo, "cancel", three_layers("cancel"));
  std::stop_source source;
  source.request_stop();
  PullOptions options;
  options.stop = source.get_token();
  auto before = counts(*store_);
  auto r = pull("127.0.0.1:5000/team/app:cancel", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  EXPECT_EQ(counts(*store_), before);
}

TEST_F(PullPushTest, ConcurrentPullsOfTheSameImage) {
  publish_image(reg_, kRepo, "race", three_layers("race"));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      ProgressOutput progress(nullptr);
      auto r = pull_image(*store_, reg_,
                          Reference::parse_normalized("127.0.0.1:5000/team/app:race").value(), {},
                          progress);
      if (r.ok())
        ++ok;
      else
        ADD_FAILURE() << r.error().to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(counts(*store_).layers, 3u);
  EXPECT_EQ(counts(*store_).images, 1u);
}

TEST_F(PullPushTest, ForeignLayersComeFromTheirUrlsAndAreNotPushed) {
  std::string foreign_tar = test::rootfs_tar("foreign");
  std::string foreign_blob = test::compress(foreign_tar, store::Compression::kGzip);
  reg_.urls["https://example.com/base.tar.gz"] = foreign_blob;
  std::string own_tar = test::TarBuilder().file("app", "mine").tar();
  std::string own_blob = test::compress(own_tar, store::Compression::kGzip);
  reg_.put_blob(kRepo, own_blob);
  ImageConfig config;
  config.architecture = "amd64";
  config.os = "linux";
  config.diff_ids = {store::Digest::of(foreign_tar), store::Digest::of(own_tar)};
  std::string config_bytes = serialize_image_config(config);
  reg_.put_blob(kRepo, config_bytes);
  ImageManifest m;
  m.media_type = media::kDockerManifest;
  m.config = Descriptor{std::string(media::kDockerConfig), store::Digest::of(config_bytes),
                        static_cast<int64_t>(config_bytes.size())};
  Descriptor foreign{std::string(media::kDockerForeignLayerGzip), store::Digest::of(foreign_blob),
                     static_cast<int64_t>(foreign_blob.size())};
  foreign.urls = {"https://unreachable.example/base.tar.gz", "https://example.com/base.tar.gz"};
  m.layers = {foreign, Descriptor{std::string(media::kDockerLayerGzip), store::Digest::of(own_blob),
                                  static_cast<int64_t>(own_blob.size())}};
  reg_.put_manifest_bytes(kRepo, "win", m.media_type, serialize_manifest(m));

  auto r = pull("127.0.0.1:5000/team/app:win");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(file_in("127.0.0.1:5000/team/app:win", "etc/marker"), "foreign");

  // Pushed elsewhere: the foreign layer is skipped, as Docker does.
  ASSERT_TRUE(
      store_
          ->add_reference(Reference::parse_normalized("127.0.0.1:5000/other/app:win").value(),
                          r->image_id)
          .ok());
  auto pushed = push(*store_, "127.0.0.1:5000/other/app:win");
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  EXPECT_FALSE(reg_.has_blob("other/app", foreign.digest));
  EXPECT_TRUE(has_status("Skipped foreign layer"));
  auto out =
      parse_image_manifest(reg_.manifest({"127.0.0.1:5000", "other/app"}, "win")->bytes).value();
  EXPECT_EQ(out.layers[0].urls.size(), 2u);
}

TEST_F(PullPushTest, PushThenPullElsewhere) {
  std::string tar = test::rootfs_tar("pushed");
  std::string gz = test::compress(tar, store::Compression::kGzip);
  store::StringReader in(gz);
  ImportOptions io;
  io.tag = Reference::parse_normalized("127.0.0.1:5000/team/app:1.0").value();
  auto id = import_image(*store_, in, io).value();

  auto pushed = push(*store_, "127.0.0.1:5000/team/app:1.0");
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  ASSERT_EQ(pushed->size(), 1u);
  auto& tag = (*pushed)[0];
  EXPECT_EQ(tag.tag, "1.0");
  auto remote = reg_.manifest(kRepo, "1.0");
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->digest, tag.digest);
  EXPECT_EQ(remote->media_type, media::kDockerManifest);
  auto m = parse_image_manifest(remote->bytes).value();
  EXPECT_EQ(m.config.digest, id);
  EXPECT_EQ(m.layers[0].media_type, media::kDockerLayerGzip);
  EXPECT_EQ(messages_.front().status, "The push refers to repository [127.0.0.1:5000/team/app]");
  std::string layer_id = short_id(store_->config(id)->diff_ids[0].to_string());
  EXPECT_EQ(statuses(layer_id),
            (std::vector<std::string>{layer_id + ": Preparing", layer_id + ": Pushed"}));
  auto all = statuses();
  EXPECT_EQ(all.back(),
            "1.0: digest: " + tag.digest.to_string() + " size: " + std::to_string(tag.size));
  ASSERT_TRUE(messages_.back().aux);
  EXPECT_EQ((*messages_.back().aux)["Digest"], tag.digest.to_string());
  // The push gave the image a repo digest.
  EXPECT_EQ(store_->get(id)->digests.size(), 1u);

  // Pushing again: everything is there.
  ASSERT_TRUE(push(*store_, "127.0.0.1:5000/team/app:1.0").ok());
  EXPECT_EQ(statuses(layer_id).back(), layer_id + ": Layer already exists");
  // To another repository of the same registry: mounted.
  ASSERT_TRUE(
      store_->add_reference(Reference::parse_normalized("127.0.0.1:5000/team/copy:1").value(), id)
          .ok());
  ASSERT_TRUE(push(*store_, "127.0.0.1:5000/team/copy:1").ok());
  EXPECT_EQ(statuses(layer_id).back(), layer_id + ": Mounted from team/app");
  EXPECT_EQ(reg_.calls().mounts, 2);  // the layer and the config

  // A fresh store pulls what was pushed: the same image.
  TempDir other;
  auto second = test::open_store(other.path());
  ProgressOutput progress(nullptr);
  auto r =
      pull_image(*second, reg_, Reference::parse_normalized("127.0.0.1:5000/team/app:1.0").value(),
                 {}, progress);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->image_id, id);
  // And pushing that pulled image keeps the manifest's digest.
  ASSERT_TRUE(
      second->add_reference(Reference::parse_normalized("127.0.0.1:5000/team/again:1").value(), id)
          .ok());
  auto again = push(*second, "127.0.0.1:5000/team/again:1");
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ((*again)[0].digest, tag.digest);
}

TEST_F(PullPushTest, PushAllTagsAndMissingTag) {
  for (const char* t : {"a", "b"}) {
    std::string tar = test::rootfs_tar(t);
    store::StringReader in(tar);
    ImportOptions io;
    io.tag = Reference::parse_normalized(std::string("127.0.0.1:5000/team/app:") + t).value();
    ASSERT_TRUE(import_image(*store_, in, io).ok());
  }
  auto pushed = push(*store_, "127.0.0.1:5000/team/app");
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  ASSERT_EQ(pushed->size(), 2u);
  EXPECT_TRUE(reg_.manifest(kRepo, "a"));
  EXPECT_TRUE(reg_.manifest(kRepo, "b"));
  auto missing = push(*store_, "127.0.0.1:5000/team/app:zzz");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(),
            "An image does not exist locally with the tag: 127.0.0.1:5000/team/app:zzz");
  auto none = push(*store_, "127.0.0.1:5000/nothing/here");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message(),
            "An image does not exist locally with the tag: 127.0.0.1:5000/nothing/here");
}

TEST_F(PullPushTest, PushRecompressesForDockerAndKeepsOciAsIs) {
  // A zstd OCI image pulled, then re-pushed: OCI, zstd, same digest.
  auto pub =
      publish_image(reg_, kRepo, "z", {test::rootfs_tar("z")}, store::Compression::kZstd, true);
  ASSERT_TRUE(pull("127.0.0.1:5000/team/app:z").ok());
  ASSERT_TRUE(store_
                  ->add_reference(Reference::parse_normalized("127.0.0.1:5000/team/z2:1").value(),
                                  pub.config_digest)
                  .ok());
  auto pushed = push(*store_, "127.0.0.1:5000/team/z2:1");
  ASSERT_TRUE(pushed.ok());
  EXPECT_EQ((*pushed)[0].digest, pub.manifest_digest);
  // An uncompressed docker-format layer (as docker-archive loads give) is gzip-compressed.
  auto plain =
      publish_image(reg_, kRepo, "plain", {test::rootfs_tar("plain")}, store::Compression::kNone);
  ASSERT_TRUE(pull("127.0.0.1:5000/team/app:plain").ok());
  // Forget the original manifest so push has to build one.
  TempDir other;
  auto second = test::open_store(other.path());
  ProgressOutput progress(nullptr);
  ASSERT_TRUE(pull_image(*second, reg_,
                         Reference::parse_normalized("127.0.0.1:5000/team/app:plain").value(), {},
                         progress)
                  .ok());
  ASSERT_TRUE(second->database().session().exec("DELETE FROM manifests").ok());
  ASSERT_TRUE(second
                  ->add_reference(Reference::parse_normalized("127.0.0.1:5000/team/gz:1").value(),
                                  plain.config_digest)
                  .ok());
  auto gz = push(*second, "127.0.0.1:5000/team/gz:1");
  ASSERT_TRUE(gz.ok()) << gz.error().to_string();
  auto m = parse_image_manifest(reg_.manifest({"127.0.0.1:5000", "team/gz"}, "1")->bytes).value();
  EXPECT_EQ(m.media_type, media::kDockerManifest);
  EXPECT_EQ(m.layers[0].media_type, media::kDockerLayerGzip);
  EXPECT_NE(m.layers[0].digest, plain.layer_digests[0]);
  auto blob = reg_.blob(m.layers[0].digest);
  EXPECT_EQ(store::detect_compression(blob.substr(0, 8)).value(), store::Compression::kGzip);
  // The gzip copy is remembered for the DiffID.
  EXPECT_EQ(second->layer_blobs(plain.diff_ids[0])->size(), 2u);
}

}  // namespace
}  // namespace berth::image
