// The reading half of the log drivers, used by berthd for GET /containers/{id}/logs
// (`docker logs`): messages in order across rotated (and compressed) files, --since/--until,
// --tail, and --follow across rotations until stopped or the writer is gone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "logging/log_message.h"

namespace berth::logging {

struct ReadOptions {
  int64_t since_ns = 0;  // skip messages before this (Unix ns); 0: from the beginning
  int64_t until_ns = 0;  // end at the first message after this; 0: no end
  int64_t tail =
      -1;  // only the last N records (counted before any filter, as Docker does); -1: all
  bool follow = false;  // then wait for more
  bool show_stdout = true;
  bool show_stderr = true;
  bool timestamps = false;  // for format_docker_log_line; reading ignores it
  bool details = false;     // decode the records' attributes
  // Borrowed. When it becomes readable (a pidfd of the shim, the read end of a pipe whose
  // writer closes...), the writer is gone: a follower returns what is left and ends. -1: none.
  int writer_gone_fd = -1;
};

// next() is called from one thread; stop() and writer_closed() may come from any other. The
// reader must outlive those calls (stop, join the reading thread, then destroy).
class LogReader {
 public:
  virtual ~LogReader() = default;
  // The next message; std::nullopt at the end: everything read (without follow), the writer
  // gone and everything read (with follow), --until passed, or stop() called. Blocks while
  // following. After an error or the end, keeps returning std::nullopt.
  virtual Result<std::optional<LogMessage>> next() = 0;
  // From any thread: a blocked or later next() returns std::nullopt promptly.
  virtual void stop() = 0;
  // From any thread: the writer has closed for good (the container exited); a follower returns
  // the remaining messages, then std::nullopt.
  virtual void writer_closed() = 0;
};

// `path` is the file the driver writes (see log_file_path). A missing file reads as empty (a
// follower waits for it). The none driver fails with Docker's "configured logging driver does
// not support reading" (kUnimplemented).
Result<std::unique_ptr<LogReader>> open_log_reader(std::string_view driver, const std::string& path,
                                                   const ReadOptions& options);

}  // namespace berth::logging
