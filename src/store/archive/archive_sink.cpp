#include "store/archive/archive_sink.h"

namespace berth::store {

ArchiveSink::ArchiveSink(Writer& out, Compression compression, int level)
    : compressed_(&out),
      compressor_(compressed_, compression, level),
      uncompressed_(&compressor_),
      tar_(uncompressed_) {}

Result<ArchiveResult> ArchiveSink::finish() {
  TRY(tar_.finish());
  TRY(compressor_.finish());
  ArchiveResult result;
  result.diff_id = uncompressed_.digest();
  result.uncompressed_size = uncompressed_.size();
  result.digest = compressed_.digest();
  result.size = compressed_.size();
  result.entries = entries_;
  return result;
}

}  // namespace berth::store
