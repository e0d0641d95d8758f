#include "store/digest.h"

#include <set>
#include <unordered_set>

#include <gtest/gtest.h>

namespace berth::store {
namespace {

constexpr const char* kEmptySha256 =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbcSha256 =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kAbcSha512 =
    "sha512:"
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3"
    "feebbd454d4423643ce80e2a9ac94fa54ca49f";

TEST(DigestTest, KnownVectors) {
  EXPECT_EQ(Digest::of("").to_string(), kEmptySha256);
  EXPECT_EQ(Digest::of("abc").to_string(), kAbcSha256);
  Hasher sha512(DigestAlgorithm::kSha512);
  sha512.update("abc");
  EXPECT_EQ(sha512.digest().to_string(), kAbcSha512);
}

TEST(DigestTest, IncrementalEqualsOneShotAndKeepsGoing) {
  Sha256 h;
  h.update("a");
  h.update("");
  h.update("bc");
  EXPECT_EQ(h.digest().to_string(), kAbcSha256);
  EXPECT_EQ(h.digest().to_string(), kAbcSha256);  // digest() does not finalise
  h.update("d");
  EXPECT_EQ(h.digest(), Digest::of("abcd"));
}

TEST(DigestTest, ParseRoundTrip) {
  auto d = Digest::parse(kAbcSha256);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->algorithm(), DigestAlgorithm::kSha256);
  EXPECT_EQ(d->algorithm_name(), "sha256");
  EXPECT_EQ(d->hex().size(), 64u);
  EXPECT_EQ(d->to_string(), kAbcSha256);
  auto d512 = Digest::parse(kAbcSha512);
  ASSERT_TRUE(d512.ok());
  EXPECT_EQ(d512->algorithm(), DigestAlgorithm::kSha512);
}

TEST(DigestTest, ParseRejectsMalformed) {
  std::string upper = kAbcSha256;
  upper[10] = 'A';
  for (const std::string& bad :
       {std::string("ba7816bf"), std::string("sha256:"), std::string("sha256:abc"), upper,
        std::string(kAbcSha256) + "0", std::string("sha256:") + std::string(64, 'g'),
        std::string(":abc"), std::string("SHA256:") + std::string(64, 'a'),
        std::string("sha512:") + std::string(64, 'a')}) {
    auto d = Digest::parse(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
  auto unknown = Digest::parse("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kUnimplemented);
}

TEST(DigestTest, OrderingAndHashing) {
  Digest a = Digest::of("a"), b = Digest::of("b");
  EXPECT_NE(a, b);
  EXPECT_EQ(a, Digest::parse(a.to_string()).value());
  std::set<Digest> ordered{a, b, a};
  EXPECT_EQ(ordered.size(), 2u);
  std::unordered_set<Digest> hashed{a, b, a};
  EXPECT_EQ(hashed.size(), 2u);
  EXPECT_TRUE(Digest().is_empty());
  EXPECT_EQ(Digest().to_string(), "");
}

TEST(DigestTest, DigestingWriterAndReader) {
  std::string out;
  StringWriter sink(&out);
  DigestingWriter w(&sink);
  ASSERT_TRUE(w.write("ab").ok());
  ASSERT_TRUE(w.write("c").ok());
  EXPECT_EQ(out, "abc");
  EXPECT_EQ(w.size(), 3u);
  EXPECT_EQ(w.digest().to_string(), kAbcSha256);

  StringReader src("abc");
  DigestingReader r(src);
  NullWriter null;
  ASSERT_EQ(copy_stream(r, null).value(), 3u);
  EXPECT_EQ(r.digest().to_string(), kAbcSha256);
  EXPECT_EQ(r.size(), 3u);
}

}  // namespace
}  // namespace berth::store
