#include "store/content/content_store.h"

#include <sys/stat.h>

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_test_util.h"

namespace berth::store {
namespace {

using test::TempDir;

class ContentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ContentStore::open(dir_.path());
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    store_.emplace(s.take());
  }
  size_t ingest_count() {
    auto fd = fs::open_dir(dir_ / "ingest");
    return fs::list_dir(fd->get())->size();
  }
  TempDir dir_;
  std::optional<ContentStore> store_;
};

TEST_F(ContentStoreTest, WriteCommitRead) {
  auto w = store_->writer("upload-1", Digest::of("hello world"), 11);
  ASSERT_TRUE(w.ok()) << w.error().to_string();
  ASSERT_TRUE(w->write("hello ").ok());
  ASSERT_TRUE(w->write("world").ok());
  EXPECT_EQ(w->size(), 11u);
  auto digest = w->commit();
  ASSERT_TRUE(digest.ok()) << digest.error().to_string();
  EXPECT_EQ(*digest, Digest::of("hello world"));
  EXPECT_TRUE(store_->exists(*digest));
  EXPECT_EQ(store_->info(*digest)->size, 11u);
  EXPECT_EQ(store_->read_blob(*digest, 1024).value(), "hello world");
  struct stat st = test::lstat_path(store_->blob_path(*digest));
  EXPECT_EQ(st.st_mode & 07777, 0444u);
  EXPECT_EQ(store_->blob_path(*digest), dir_.path() + "/blobs/sha256/" + digest->hex());
  EXPECT_EQ(ingest_count(), 0u);
  auto fd = store_->open_blob(*digest);
  ASSERT_TRUE(fd.ok());
}

TEST_F(ContentStoreTest, WrongDigestIsDataLossAndNothingVisible) {
  Digest expected = Digest::of("something else");
  auto w = store_->writer("bad", expected);
  ASSERT_TRUE(w->write("tampered").ok());
  auto r = w->commit();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_FALSE(store_->exists(expected));
  EXPECT_FALSE(store_->exists(Digest::of("tampered")));
  EXPECT_EQ(ingest_count(), 0u);
  EXPECT_TRUE(store_->list()->empty());
}

TEST_F(ContentStoreTest, WrongSizeIsInvalidArgument) {
  auto short_w = store_->writer("short", std::nullopt, 10);
  ASSERT_TRUE(short_w->write("12345").ok());
  auto r = short_w->commit();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);

  auto long_w = store_->writer("long", std::nullopt, 3);
  auto st = long_w->write("12345");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(long_w->commit().ok());
  EXPECT_EQ(ingest_count(), 0u);
  EXPECT_TRUE(store_->list()->empty());
}

TEST_F(ContentStoreTest, AbandonedWriterLeavesNothing) {
  {
    auto w = store_->writer("abandoned");
    ASSERT_TRUE(w->write("partial").ok());
    EXPECT_EQ(ingest_count(), 1u);
  }
  EXPECT_EQ(ingest_count(), 0u);
}

TEST_F(ContentStoreTest, OpenRemovesStaleIngestsButNotLiveOnes) {
  test::write(dir_ / "ingest/deadbeef", "half a blob");  // a crash left this behind
  auto live = store_->writer("live");
  ASSERT_TRUE(live->write("in progress").ok());
  ASSERT_EQ(ingest_count(), 2u);
  auto reopened = ContentStore::open(dir_.path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(ingest_count(), 1u);  // the live writer's file is locked, so kept
  EXPECT_TRUE(live->commit().ok());
  EXPECT_TRUE(reopened->exists(Digest::of("in progress")));
}

TEST_F(ContentStoreTest, SameRefConflicts) {
  auto a = store_->writer("ref");
  ASSERT_TRUE(a.ok());
  auto b = store_->writer("ref");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code(), ErrorCode::kConflict);
  a->abort();
  EXPECT_TRUE(store_->writer("ref").ok());
}

TEST_F(ContentStoreTest, ConcurrentWriters) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<bool> ok(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Half the threads write the same content under different refs: both commits succeed.
      std::string data = "blob-" + std::to_string(i % 4) + std::string(100000, 'x');
      auto w = store_->writer("ref-" + std::to_string(i), Digest::of(data));
      if (!w.ok()) return;
      for (size_t off = 0; off < data.size(); off += 1000) {
        if (!w->write(std::string_view(data).substr(off, 1000)).ok()) return;
      }
      ok[i] = w->commit().ok();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_TRUE(ok[i]) << i;
  EXPECT_EQ(store_->list()->size(), 4u);
  EXPECT_EQ(ingest_count(), 0u);
}

TEST_F(ContentStoreTest, WriteBlobListRemoveAndGc) {
  Digest a = store_->write_blob("a").value();
  Digest b = store_->write_blob("b", Digest::of("b")).value();
  Digest c = store_->write_blob("c").value();
  EXPECT_EQ(store_->write_blob("a", a).value(), a);  // already there
  auto mismatch = store_->write_blob("x", a);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(store_->list()->size(), 3u);

  ASSERT_TRUE(store_->remove(c).ok());
  EXPECT_EQ(store_->remove(c).error().code(), ErrorCode::kNotFound);
  auto stats = store_->garbage_collect({a});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->blobs_removed, 1u);
  EXPECT_EQ(stats->bytes_freed, 1u);
  EXPECT_TRUE(store_->exists(a));
  EXPECT_FALSE(store_->exists(b));
  EXPECT_EQ(store_->info(b).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->open_blob(b).error().code(), ErrorCode::kNotFound);
}

TEST_F(ContentStoreTest, ReadBlobIsBounded) {
  Digest d = store_->write_blob(std::string(2048, 'z')).value();
  auto r = store_->read_blob(d, 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(ContentStoreTest, Sha512Verification) {
  Hasher h(DigestAlgorithm::kSha512);
  h.update("payload");
  auto w = store_->writer("sha512", h.digest());
  ASSERT_TRUE(w->write("payload").ok());
  auto d = w->commit();
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->algorithm(), DigestAlgorithm::kSha512);
  EXPECT_TRUE(store_->exists(*d));
  EXPECT_EQ(store_->list()->size(), 1u);
}

}  // namespace
}  // namespace berth::store
