#include "image/import.h"

#include <gtest/gtest.h>

#include "image/image_query.h"
#include "image/media_types.h"
#include "image_test_util.h"

namespace berth::image {
namespace {

using test::counts;
using test::TempDir;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = test::open_store(dir_.path()); }
  TempDir dir_;
  std::unique_ptr<ImageStore> store_;
};

TEST_F(ImportTest, RootfsWithChangesAndMessage) {
  std::string tar = test::rootfs_tar("imported");
  std::string gz = test::compress(tar, store::Compression::kGzip);
  store::StringReader in(gz);
  ImportOptions options;
  options.tag = Reference::parse_normalized("example/app:v1").value();
  options.changes = {"CMD [\"/bin/tool\"]",
                     "ENV A=1",
                     "EXPOSE 80",
                     "WORKDIR /srv",
                     "USER nobody",
                     "LABEL team=core",
                     "VOLUME /data",
                     "STOPSIGNAL SIGTERM",
                     "ONBUILD RUN echo child",
                     "ENTRYPOINT [\"/init\"]"};
  options.message = "initial import";
  options.created_ns = 1'700'000'000'000'000'000;
  std::vector<JsonMessage> messages;
  ProgressOutput progress([&](const JsonMessage& m) { messages.push_back(m); });
  auto id = import_image(*store_, in, options, &progress);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_FALSE(messages.empty());

  auto rec = store_->resolve("example/app:v1").value();
  EXPECT_EQ(rec.id, *id);
  EXPECT_EQ(rec.labels.at("team"), "core");
  auto config = store_->config(*id).value();
  EXPECT_EQ(config.diff_ids, std::vector<store::Digest>{store::Digest::of(tar)});
  EXPECT_EQ(config.comment, "initial import");
  ASSERT_EQ(config.history.size(), 1u);
  EXPECT_EQ(config.history[0].comment, "initial import");
  EXPECT_EQ(config.os, "linux");
  EXPECT_EQ(config.architecture, host_platform().architecture);
  const ContainerConfig& c = *config.config;
  EXPECT_EQ(c.cmd, std::vector<std::string>{"/bin/tool"});  // set before ENTRYPOINT: kept
  EXPECT_EQ(c.entrypoint, std::vector<std::string>{"/init"});
  EXPECT_EQ(c.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(c.working_dir, "/srv");
  EXPECT_EQ(c.user, "nobody");
  EXPECT_EQ(c.stop_signal, "SIGTERM");
  EXPECT_EQ(c.on_build, std::vector<std::string>{"RUN echo child"});
  // The layer is unpacked and its gzip blob kept for push and save.
  auto dirs = store_->snapshots().layer_dirs(rec.top_layer).value();
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_EQ(test::slurp_or(dirs[0] + "/etc/marker"), "imported");
  auto blobs = store_->layer_blobs(config.diff_ids[0]).value();
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0].media_type, media::kDockerLayerGzip);
  EXPECT_TRUE(store_->content().exists(blobs[0].digest));

  // history: one entry, the image itself.
  auto history = image_history(*store_, rec).value();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].id, id->to_string());
  EXPECT_EQ(history[0].comment, "initial import");
  EXPECT_EQ(history[0].tags, std::vector<std::string>{"example/app:v1"});
  EXPECT_EQ(history[0].created, 1'700'000'000);
}

TEST_F(ImportTest, PlainAndZstdGiveTheSameLayer) {
  std::string tar = test::rootfs_tar("same");
  store::Digest ids[3];
  int i = 0;
  for (auto c : {store::Compression::kNone, store::Compression::kZstd, store::Compression::kGzip}) {
    std::string data = c == store::Compression::kNone ? tar : test::compress(tar, c);
    store::StringReader in(data);
    ImportOptions options;
    options.created_ns = 1;
    auto id = import_image(*store_, in, options);
    ASSERT_TRUE(id.ok()) << id.error().to_string();
    ids[i++] = *id;
  }
  // Same content, same time, same config: the same image.
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[1], ids[2]);
  auto config = store_->config(ids[0]).value();
  EXPECT_EQ(config.history[0].comment, "Imported from -");
  EXPECT_EQ(counts(*store_).layers, 1u);
}

TEST_F(ImportTest, FailuresLeaveNothing) {
  auto before = counts(*store_);
  {
    std::string junk(100000, 'x');
    store::StringReader in(junk);
    EXPECT_FALSE(import_image(*store_, in, {}).ok());
  }
  {
    // A tar that climbs out of its root.
    test::TarBuilder t;
    t.file("../escape", "x");
    store::StringReader in(t.tar());
    auto r = import_image(*store_, in, {});
    ASSERT_FALSE(r.ok());
  }
  {
    std::string tar = test::rootfs_tar("bad change");
    store::StringReader in(tar);
    ImportOptions options;
    options.changes = {"RUN rm -rf /"};
    auto r = import_image(*store_, in, options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message(), "run is not a valid change command");
  }
  {
    std::string gz = test::compress(test::rootfs_tar("truncated"), store::Compression::kGzip);
    gz.resize(gz.size() / 2);
    store::StringReader in(gz);
    EXPECT_FALSE(import_image(*store_, in, {}).ok());
  }
  EXPECT_EQ(counts(*store_), before);
}

TEST_F(ImportTest, FromUrlStreamsThroughAPipe) {
  std::string tar = test::rootfs_tar("from url");
  std::string body = test::compress(tar, store::Compression::kGzip);
  UrlFetcher fetch = [&](const std::string& url, store::Writer& sink,
                         const TransferProgressFn&) -> Status {
    EXPECT_EQ(url, "http://127.0.0.1:1/rootfs.tgz");
    // In pieces, as a network would deliver it.
    for (size_t off = 0; off < body.size(); off += 1000) {
      TRY(sink.write(std::string_view(body).substr(off, 1000)));
    }
    return {};
  };
  ImportOptions options;
  auto id =
      import_image_from_url(*store_, "http://127.0.0.1:1/rootfs.tgz", options, nullptr, fetch);
  ASSERT_TRUE(id.ok()) << id.error().to_string();
  EXPECT_EQ(store_->config(*id)->history[0].comment, "Imported from http://127.0.0.1:1/rootfs.tgz");

  UrlFetcher failing = [](const std::string&, store::Writer& sink,
                          const TransferProgressFn&) -> Status {
    TRY(sink.write("partial"));
    return Error(ErrorCode::kUnavailable, "GET x: connection refused");
  };
  auto before = counts(*store_);
  auto r = import_image_from_url(*store_, "http://127.0.0.1:1/x", options, nullptr, failing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "GET x: connection refused");
  EXPECT_EQ(counts(*store_), before);
}

}  // namespace
}  // namespace berth::image
