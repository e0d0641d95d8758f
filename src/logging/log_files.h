// The set of files a driver has written for one log path: <path>.N[.gz] (rotated, larger N is
// older) and <path> itself (being written). A reader opens them all at once; because the writer
// (another process) may be rotating at that moment, the directory is listed again after
// opening and the whole thing retried unless nothing moved in between.
#pragma once

#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace berth::logging {

struct LogFile {
  std::string name;  // full path, for messages
  int index = 0;     // 0: <path>, the file being written; N: <path>.N[.gz]
  bool compressed = false;
  UniqueFd fd;
  struct stat st {};
};

// Oldest first, <path> last (missing when it does not exist). When both <path>.N and
// <path>.N.gz exist (a compression in progress) the uncompressed one is taken. kNotFound when
// the directory does not exist.
Result<std::vector<LogFile>> open_log_files(const std::string& path);

// The inode a file had while it was <path>: its own for plain files, the one recorded in the
// header for compressed ones (0 when unknown).
uint64_t origin_inode(const LogFile& file);

}  // namespace berth::logging
