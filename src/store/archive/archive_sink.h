// Internal: the output side of every tar Berth produces: tar -> (hash, count) -> optional
// compression -> (hash, count) -> the caller's Writer. Yields both identities of a layer.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "store/archive/compression.h"
#include "store/archive/tar_writer.h"
#include "store/digest.h"
#include "store/stream.h"

namespace berth::store {

// What writing an archive produced.
struct ArchiveResult {
  Digest diff_id;  // sha256 of the uncompressed tar
  uint64_t uncompressed_size = 0;
  Digest digest;  // sha256 of the bytes written (== diff_id when uncompressed)
  uint64_t size = 0;
  uint64_t entries = 0;
};

class ArchiveSink {
 public:
  ArchiveSink(Writer& out, Compression compression, int level);
  TarWriter& tar() { return tar_; }
  void count_entry() { ++entries_; }
  // Ends the archive and the compressed stream.
  Result<ArchiveResult> finish();

 private:
  DigestingWriter compressed_;
  CompressingWriter compressor_;
  DigestingWriter uncompressed_;
  TarWriter tar_;
  uint64_t entries_ = 0;
};

}  // namespace berth::store
