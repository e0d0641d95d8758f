// Compression of rotated log files, as Docker's loggerutils does it: gzip, with the time of the
// file's last record in the header's extra field as JSON {"lastTime":"<RFC 3339>"} so readers
// can skip whole files older than --since. Berth adds "berthIno", the inode the file had while
// it was being written, so a follower that held it open can tell where to continue.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/result.h"

namespace berth::logging {

// Compresses `src` into `src + ".gz"` (through a temporary file, fsynced and renamed so the .gz
// never appears half-written), then removes `src`. Uses only short-lived mmap'd buffers so the
// writer's memory goes back to the system afterwards.
Status compress_log_file(const std::string& src, int64_t last_time_ns, mode_t mode);

struct GzipMeta {
  int64_t last_time_ns = 0;  // 0 when absent
  uint64_t origin_ino = 0;   // 0 when absent
};

// Reads the metadata from the header of an open .gz file (without moving its offset). A file
// that is not gzip, or has no metadata, yields zeros.
GzipMeta read_gzip_meta(int fd);

}  // namespace berth::logging
