#include "store/archive/compression.h"

#include <gtest/gtest.h>

#include "store/digest.h"

namespace berth::store {
namespace {

std::string compress(const std::string& data, Compression c) {
  std::string out;
  StringWriter sink(&out);
  CompressingWriter w(sink, c);
  EXPECT_TRUE(w.write(data).ok());
  EXPECT_TRUE(w.finish().ok());
  return out;
}

Result<std::string> decompress(const std::string& data, Compression* detected = nullptr) {
  StringReader src(data);
  DecompressingReader r(src);
  std::string out;
  StringWriter sink(&out);
  TRY(copy_stream(r, sink));
  if (detected) *detected = r.compression();
  return out;
}

std::string sample() {
  std::string s;
  for (int i = 0; i < 50000; ++i) s += std::to_string(i * 7919) + "\n";
  return s;
}

TEST(CompressionTest, RoundTripsAndDetects) {
  std::string data = sample();
  for (Compression c : {Compression::kNone, Compression::kGzip, Compression::kZstd}) {
    std::string packed = compress(data, c);
    if (c != Compression::kNone) {
      EXPECT_LT(packed.size(), data.size());
    }
    Compression detected = Compression::kNone;
    auto out = decompress(packed, &detected);
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_EQ(*out, data);
    EXPECT_EQ(detected, c) << compression_name(c);
  }
}

TEST(CompressionTest, GzipIsDeterministic) {
  EXPECT_EQ(compress(sample(), Compression::kGzip), compress(sample(), Compression::kGzip));
}

TEST(CompressionTest, ConcatenatedMembersAndFrames) {
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    std::string packed = compress("first,", c) + compress("second", c);
    auto out = decompress(packed);
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_EQ(*out, "first,second");
  }
}

TEST(CompressionTest, TruncatedStreamIsDataLoss) {
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    std::string packed = compress(sample(), c);
    auto out = decompress(packed.substr(0, packed.size() / 2));
    ASSERT_FALSE(out.ok()) << compression_name(c);
    EXPECT_EQ(out.error().code(), ErrorCode::kDataLoss);
  }
}

TEST(CompressionTest, RefusesXzAndBzip2) {
  EXPECT_EQ(detect_compression(std::string("\xfd"
                                           "7zXZ\0\0",
                                           7))
                .error()
                .code(),
            ErrorCode::kUnimplemented);
  EXPECT_EQ(detect_compression("BZh91AY").error().code(), ErrorCode::kUnimplemented);
  EXPECT_EQ(detect_compression("ab").value(), Compression::kNone);
  EXPECT_EQ(decompress("").value(), "");
}

}  // namespace
}  // namespace berth::store
