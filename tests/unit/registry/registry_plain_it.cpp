// Against the real distribution registry without auth, over plain HTTP on 127.0.0.1 (insecure
// by default, so the client falls back from https to http).
#include <thread>

#include "registry_it_util.h"

namespace berth::registry {
namespace {

class PlainRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT_REGISTRY();
    auto r = RegistryProcess::start(dir_.path(), {});
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    registry_ = r.take();
    client_ = std::make_unique<Client>(test_options(), nullptr);
  }
  Repository repo(const std::string& path) const { return {registry_->host(), path}; }

  // Pushes config + layers + manifest under `tag`; returns the manifest's digest.
  store::Digest push_image(const Repository& r, const Blob& config,
                           const std::vector<const Blob*>& layers, const std::string& tag,
                           int64_t chunk_size = 0) {
    EXPECT_TRUE(
        client_
            ->push_blob(r, config.digest, config.size(), config.source(), std::nullopt, 0, nullptr)
            .ok());
    for (const Blob* l : layers) {
      auto st = client_->push_blob(r, l->digest, l->size(), l->source(), std::nullopt, chunk_size,
                                   nullptr);
      EXPECT_TRUE(st.ok()) << st.error().to_string();
    }
    auto digest = client_->put_manifest(r, tag, kOciManifest, image_manifest(config, layers));
    EXPECT_TRUE(digest.ok()) << digest.error().to_string();
    return digest.value_or(store::Digest());
  }

  TempDir dir_;
  std::unique_ptr<RegistryProcess> registry_;
  std::unique_ptr<Client> client_;
};

TEST_F(PlainRegistryTest, PushAndPullRoundTrip) {
  Repository r = repo("berth/roundtrip");
  Blob config(R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})");
  Blob small(random_bytes(1000, 1));
  Blob big(random_bytes(3 * 1024 * 1024 + 123, 2));

  ProgressLog push_progress;
  ASSERT_TRUE(
      client_->push_blob(r, config.digest, config.size(), config.source(), std::nullopt, 0, nullptr)
          .ok());
  auto st = client_->push_blob(r, small.digest, small.size(), small.source(), std::nullopt, 0,
                               push_progress.fn());
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(push_progress.saw("Pushed"));
  // Chunked: four PATCHes of 1 MiB or less, then the closing PUT.
  ProgressLog chunked_progress;
  st = client_->push_blob(r, big.digest, big.size(), big.source(), std::nullopt, 1024 * 1024,
                          chunked_progress.fn());
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(chunked_progress.saw("Pushing"));
  EXPECT_TRUE(chunked_progress.saw("Pushed"));
  EXPECT_EQ(chunked_progress.events().front().id, big.digest.hex().substr(0, 12));

  std::string manifest_bytes = image_manifest(config, {&small, &big});
  auto pushed = client_->put_manifest(r, "v1", kOciManifest, manifest_bytes);
  ASSERT_TRUE(pushed.ok()) << pushed.error().to_string();
  EXPECT_EQ(*pushed, store::Digest::of(manifest_bytes));

  auto by_tag = client_->get_manifest(r, "v1", accept_all());
  ASSERT_TRUE(by_tag.ok()) << by_tag.error().to_string();
  EXPECT_EQ(by_tag->bytes, manifest_bytes);
  EXPECT_EQ(by_tag->digest, *pushed);
  EXPECT_EQ(by_tag->media_type, kOciManifest);
  auto by_digest = client_->get_manifest(r, pushed->to_string(), accept_all());
  ASSERT_TRUE(by_digest.ok()) << by_digest.error().to_string();
  EXPECT_EQ(by_digest->bytes, manifest_bytes);

  auto info = client_->stat_manifest(r, "v1", accept_all());
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(info->has_value());
  EXPECT_EQ((*info)->digest, *pushed);
  EXPECT_EQ((*info)->size, static_cast<int64_t>(manifest_bytes.size()));
  auto absent = client_->stat_manifest(r, "nope", accept_all());
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  for (const Blob* b : {&config, &small, &big}) {
    std::string got;
    store::StringWriter sink(&got);
    ProgressLog pull_progress;
    auto fetched = client_->fetch_blob(r, b->digest, b->size(), sink, pull_progress.fn());
    ASSERT_TRUE(fetched.ok()) << fetched.error().to_string();
    EXPECT_EQ(got, b->bytes);
    EXPECT_TRUE(pull_progress.saw("Verifying Checksum"));
    EXPECT_TRUE(pull_progress.saw("Download complete"));
    auto size = client_->stat_blob(r, b->digest);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(*size, b->size());
  }
  auto missing = client_->stat_blob(r, store::Digest::of("not pushed"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_TRUE(client_->ping(registry_->host()).ok());
}

TEST_F(PlainRegistryTest, SecondPushSkipsExistingLayers) {
  Repository r = repo("berth/skip");
  Blob layer(random_bytes(5000, 3));
  ASSERT_TRUE(
      client_->push_blob(r, layer.digest, layer.size(), layer.source(), std::nullopt, 0, nullptr)
          .ok());
  ProgressLog progress;
  int opened = 0;
  auto counting_source = [&]() -> Result<std::unique_ptr<store::Reader>> {
    ++opened;
    return std::unique_ptr<store::Reader>(std::make_unique<store::StringReader>(layer.bytes));
  };
  ASSERT_TRUE(client_
                  ->push_blob(r, layer.digest, layer.size(), counting_source, std::nullopt, 0,
                              progress.fn())
                  .ok());
  EXPECT_TRUE(progress.saw("Layer already exists"));
  EXPECT_EQ(opened, 0);  // nothing was read, nothing uploaded
}

TEST_F(PlainRegistryTest, CrossRepositoryMount) {
  Blob layer(random_bytes(20000, 4));
  Repository src = repo("team/source");
  Repository dst = repo("team/destination");
  ASSERT_TRUE(
      client_->push_blob(src, layer.digest, layer.size(), layer.source(), std::nullopt, 0, nullptr)
          .ok());
  ProgressLog progress;
  int opened = 0;
  auto counting_source = [&]() -> Result<std::unique_ptr<store::Reader>> {
    ++opened;
    return std::unique_ptr<store::Reader>(std::make_unique<store::StringReader>(layer.bytes));
  };
  auto st =
      client_->push_blob(dst, layer.digest, layer.size(), counting_source, src, 0, progress.fn());
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(progress.saw("Mounted from team/source"));
  EXPECT_EQ(opened, 0);
  auto size = client_->stat_blob(dst, layer.digest);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, layer.size());

  // A mount from a repository that lacks the blob falls back to an upload.
  Blob other(random_bytes(3000, 5));
  ProgressLog fallback;
  st = client_->push_blob(dst, other.digest, other.size(), other.source(), repo("team/empty"), 0,
                          fallback.fn());
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_TRUE(fallback.saw("Pushed"));
  EXPECT_EQ(*client_->stat_blob(dst, other.digest).value(), other.size());
}

TEST_F(PlainRegistryTest, ListTags) {
  Repository r = repo("berth/tags");
  Blob config("{}");
  Blob layer(random_bytes(100, 6));
  for (const char* tag : {"v2", "latest", "v1"}) push_image(r, config, {&layer}, tag);
  auto tags = client_->list_tags(r);
  ASSERT_TRUE(tags.ok()) << tags.error().to_string();
  std::sort(tags->begin(), tags->end());
  EXPECT_EQ(*tags, (std::vector<std::string>{"latest", "v1", "v2"}));
  auto none = client_->list_tags(repo("berth/never-pushed"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(none.error().message().find("name unknown"), std::string::npos)
      << none.error().message();
}

TEST_F(PlainRegistryTest, NotFoundErrors) {
  Repository r = repo("berth/errors");
  Blob config("{}");
  Blob layer(random_bytes(100, 7));
  push_image(r, config, {&layer}, "exists");
  auto m = client_->get_manifest(r, "nope", accept_all());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(m.error().message().rfind("manifest unknown", 0), 0u) << m.error().message();

  std::string sink_data;
  store::StringWriter sink(&sink_data);
  auto b = client_->fetch_blob(r, store::Digest::of("absent"), 6, sink, nullptr);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(b.error().message().rfind("blob unknown", 0), 0u) << b.error().message();

  // A manifest that references a blob the registry lacks.
  Blob missing(random_bytes(10, 8));
  auto put = client_->put_manifest(r, "broken", kOciManifest, image_manifest(config, {&missing}));
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.error().message().find("blob unknown"), std::string::npos) << put.error().message();
}

TEST_F(PlainRegistryTest, WrongSizeOrCorruptedBlobIsDataLoss) {
  Repository r = repo("berth/dataloss");
  Blob layer(random_bytes(64 * 1024, 9));
  ASSERT_TRUE(
      client_->push_blob(r, layer.digest, layer.size(), layer.source(), std::nullopt, 0, nullptr)
          .ok());

  std::string got;
  store::StringWriter sink(&got);
  auto wrong_size = client_->fetch_blob(r, layer.digest, layer.size() - 1, sink, nullptr);
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_EQ(wrong_size.error().code(), ErrorCode::kDataLoss);
  EXPECT_LE(got.size(), static_cast<size_t>(layer.size() - 1));  // nothing past what was expected

  // Flip bytes in the registry's storage: same size, other content.
  std::string corrupted = layer.bytes;
  corrupted[100] ^= 0x5a;
  ASSERT_TRUE(write_file(registry_->blob_data_path(layer.digest.hex()), corrupted).ok());
  got.clear();
  auto bad = client_->fetch_blob(r, layer.digest, layer.size(), sink, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataLoss);
  EXPECT_NE(bad.error().message().find("digest mismatch"), std::string::npos)
      << bad.error().message();
}

TEST_F(PlainRegistryTest, ParallelTransfersShareOneClient) {
  Repository r = repo("berth/parallel");
  std::vector<std::unique_ptr<Blob>> blobs;
  for (unsigned i = 0; i < 8; ++i)
    blobs.push_back(std::make_unique<Blob>(random_bytes(100'000 + i, 100 + i)));
  std::vector<std::thread> threads;
  std::vector<Status> results(blobs.size());
  for (size_t i = 0; i < blobs.size(); ++i) {
    threads.emplace_back([&, i] {
      const Blob& b = *blobs[i];
      results[i] = client_->push_blob(r, b.digest, b.size(), b.source(), std::nullopt,
                                      i % 2 ? 40'000 : 0, nullptr);
    });
  }
  for (auto& t : threads) t.join();
  for (auto& st : results) ASSERT_TRUE(st.ok()) << st.error().to_string();
  threads.clear();
  std::vector<std::string> got(blobs.size());
  for (size_t i = 0; i < blobs.size(); ++i) {
    threads.emplace_back([&, i] {
      store::StringWriter sink(&got[i]);
      results[i] = client_->fetch_blob(r, blobs[i]->digest, blobs[i]->size(), sink, nullptr);
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < blobs.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().to_string();
    EXPECT_EQ(got[i], blobs[i]->bytes);
  }
}

TEST_F(PlainRegistryTest, HttpIsRefusedForSecureRegistries) {
  RegistryOptions options = test_options();
  options.loopback_insecure = false;
  options.max_attempts = 1;
  Client strict(options, nullptr);
  auto st = strict.ping(registry_->host());
  ASSERT_FALSE(st.ok());  // https against a plain-http server, and no http fallback
  EXPECT_NE(st.error().message().find("https://" + registry_->host() + "/v2/"), std::string::npos)
      << st.error().message();

  options.insecure_registries = {registry_->host()};
  Client listed(options, nullptr);
  EXPECT_TRUE(listed.ping(registry_->host()).ok());
}

}  // namespace
}  // namespace berth::registry
