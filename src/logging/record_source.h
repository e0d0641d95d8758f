// Reads the records of one log file in order: json-file lines or local frames, from a plain
// file (from an offset, up to an optional limit, or on and on as the writer appends) or from a
// gzip-compressed rotated file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "logging/log_files.h"

namespace berth::logging {

enum class RecordFormat { kJsonLines, kLocalFrames };

// Bytes of a file; read() returns 0 when there is nothing more for now.
class ByteInput {
 public:
  virtual ~ByteInput() = default;
  virtual Result<size_t> read(char* buf, size_t len) = 0;
};

class RecordSource {
 public:
  // Plain file, from `offset`; stops at `limit` unless it is -1.
  static std::unique_ptr<RecordSource> plain(LogFile file, RecordFormat format, int64_t offset,
                                             int64_t limit);
  // Compressed file, skipping its first `skip` records.
  static std::unique_ptr<RecordSource> gzip(LogFile file, RecordFormat format, int64_t skip);

  // The next complete record (a JSON line without its '\n', or a local entry's payload), valid
  // until the next call; nullopt when the bytes read so far hold none (more may come later).
  Result<std::optional<std::string_view>> next();
  const LogFile& file() const { return file_; }

 private:
  RecordSource(LogFile file, RecordFormat format, std::unique_ptr<ByteInput> input, int64_t skip);
  std::optional<std::string_view> take();

  LogFile file_;
  RecordFormat format_;
  std::unique_ptr<ByteInput> input_;
  int64_t skip_;
  std::string buf_;
  size_t pos_ = 0;   // start of the unconsumed bytes
  size_t scan_ = 0;  // json: where the search for '\n' resumes
};

// How many records a compressed file holds (decompresses it once).
Result<int64_t> count_gzip_records(const LogFile& file, RecordFormat format);

}  // namespace berth::logging
