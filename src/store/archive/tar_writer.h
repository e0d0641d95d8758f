// Streaming tar writer into a Writer (libarchive's PAX-restricted format: plain ustar headers,
// with PAX records only where needed: long names, large ids, xattrs). The output has no block
// padding beyond the two zero blocks that end the archive, like Go's archive/tar, so layer
// digests do not depend on a blocking factor.
#pragma once

#include <optional>

#include "base/result.h"
#include "store/archive/tar_header.h"
#include "store/stream.h"

struct archive;

namespace berth::store {

class TarWriter {
 public:
  explicit TarWriter(Writer& out);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // Writes a header. For a regular file, exactly header.size bytes must follow via write_data.
  Status add(const TarHeader& header);
  Status write_data(std::string_view data);
  // Writes a regular file's header and copies header.size bytes from `fd`; fails if the file
  // is shorter (it changed while being archived).
  Status add_file(const TarHeader& header, int fd);
  // Writes the end-of-archive marker. Required; the destructor does not.
  Status finish();

 private:
  static long write_callback(struct archive* a, void* self, const void* buf, size_t len);
  Error archive_error(std::string_view what);

  Writer& out_;
  struct archive* archive_ = nullptr;
  std::optional<Error> sink_error_;
  bool opened_ = false;
  bool finished_ = false;
};

}  // namespace berth::store
