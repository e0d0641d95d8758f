// The file a log driver appends to, rotated the way Docker's loggerutils.LogFile does it: when
// the file has reached max_size, before the next record, <path>.N-1 → <path>.N ... <path> →
// <path>.1 (or, with one file, <path> is removed), and writing continues in a fresh <path>;
// with compression <path>.1 then becomes <path>.1.gz and the older files are .N.gz. A record is
// one write(2); nothing is fsynced but the compressed files.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"
#include "logging/log_options.h"

namespace berth::logging {

inline constexpr mode_t kLogFileMode = 0640;

class RotatingFile {
 public:
  // Opens (creating) `path` for appending. Finishes a compression that a crash interrupted.
  static Result<RotatingFile> open(std::string path, const LogFileConfig& config);

  // Appends one record; rotates first when the file is full. `time_ns` is the record's
  // timestamp, kept for the compressed file's metadata.
  Status write(std::string_view record, int64_t time_ns);
  Status close();

  const std::string& path() const { return path_; }

 private:
  RotatingFile(std::string path, const LogFileConfig& config, UniqueFd fd, int64_t size);
  Status rotate();
  std::string rotated_name(int n, bool gz) const;

  std::string path_;
  LogFileConfig config_;
  UniqueFd fd_;
  int64_t size_ = 0;
  int64_t last_time_ns_ = 0;
};

}  // namespace berth::logging
