// Streaming tar reader over a Reader (libarchive underneath; the input must already be
// decompressed: see DecompressingReader). Nothing is buffered beyond libarchive's blocks.
#pragma once

#include <memory>
#include <optional>

#include "base/result.h"
#include "store/archive/tar_header.h"
#include "store/stream.h"

struct archive;

namespace berth::store {

class TarReader {
 public:
  explicit TarReader(Reader& source);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  // The next entry's header, or nullopt at the end of the archive. kDataLoss for a corrupt or
  // truncated archive.
  Result<std::optional<TarHeader>> next();
  // Reads the current entry's data; 0 at its end.
  Result<size_t> read_data(char* buf, size_t len);

 private:
  static long read_callback(struct archive* a, void* self, const void** buffer);
  Error archive_error(std::string_view what);

  Reader& source_;
  struct archive* archive_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  std::optional<Error> source_error_;
  bool opened_ = false;
};

}  // namespace berth::store
