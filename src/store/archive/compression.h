// Layer compression: detection from magic bytes, a streaming decompressor and compressor.
// Berth decompresses itself (rather than letting libarchive do it) because a layer has two
// identities: the digest of the compressed blob and the DiffID of the uncompressed tar, and both
// must be computed over the exact bytes, including any padding after the tar's end marker.
#pragma once

#include <memory>
#include <string_view>

#include "base/result.h"
#include "store/stream.h"

namespace berth::store {

enum class Compression { kNone, kGzip, kZstd };

std::string_view compression_name(Compression compression);

// Detects gzip and zstd from the first bytes of a stream (at least 4 are needed to tell; fewer
// means uncompressed). xz and bzip2 are recognised and refused (kUnimplemented).
Result<Compression> detect_compression(std::string_view head);

// Yields the decompressed bytes of `source`, whose format is detected from its first bytes.
// Handles multi-member gzip and multi-frame zstd streams, and fails (kDataLoss) on a truncated
// compressed stream.
class DecompressingReader final : public Reader {
 public:
  explicit DecompressingReader(Reader& source);
  ~DecompressingReader() override;
  Result<size_t> read(char* buf, size_t len) override;
  // Known after the first read().
  Compression compression() const { return compression_; }

 private:
  struct Impl;
  Status start();
  Result<size_t> fill_input();

  Reader& source_;
  Compression compression_ = Compression::kNone;
  bool started_ = false;
  std::unique_ptr<Impl> impl_;
};

// Compresses what is written and passes it to `next`. finish() must be called once at the end
// to write the trailer. `level` < 0 picks the library's default.
class CompressingWriter final : public Writer {
 public:
  CompressingWriter(Writer& next, Compression compression, int level = -1);
  ~CompressingWriter() override;
  Status write(std::string_view data) override;
  Status finish();

 private:
  struct Impl;
  Writer& next_;
  Compression compression_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace berth::store
