// LogReader over the files of the json-file and local drivers.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "logging/change_waiter.h"
#include "logging/log_reader.h"
#include "logging/record_source.h"

namespace berth::logging {

class FileLogReader final : public LogReader {
 public:
  static Result<std::unique_ptr<LogReader>> open(RecordFormat format, std::string path,
                                                 const ReadOptions& options);

  Result<std::optional<LogMessage>> next() override;
  void stop() override;
  void writer_closed() override;

 private:
  FileLogReader(RecordFormat format, std::string path, const ReadOptions& options);

  Status start();
  // Queues the files of `files` that come after the one followed so far; false when none do.
  bool queue_successors(std::vector<LogFile> files);
  void remember_followed(const LogFile& file);
  Status follow_step();
  Result<std::optional<LogMessage>> read_one();
  bool wanted_stream(Stream s) const;

  RecordFormat format_;
  std::string path_;
  ReadOptions options_;
  std::unique_ptr<ChangeWaiter> waiter_;  // only when following
  std::atomic<bool> stopped_{false};
  std::deque<std::unique_ptr<RecordSource>> sources_;
  // Following: whether sources_.back() is <path> itself, still being written, and its identity.
  bool live_ = false;
  dev_t live_dev_ = 0;
  ino_t live_ino_ = 0;
  // The newest file queued so far, which the next file to read follows. Holding it open keeps
  // its inode number from being reused by a new file while we look for it.
  UniqueFd followed_fd_;
  dev_t followed_dev_ = 0;
  uint64_t followed_ino_ = 0;
  // The writer was seen gone; one more pass over the files, then the end.
  bool final_pass_ = false;
  bool done_ = false;
};

}  // namespace berth::logging
