// Turns the raw bytes of a container's stdout or stderr into log messages the way Docker's
// logger.Copier does: one message per '\n'-terminated line; a line that reaches kMaxLogLine
// bytes without a newline is cut into partial messages of exactly kMaxLogLine bytes, the rest
// (ending in '\n') following as a complete message; what is left when the stream ends goes out
// as a partial message. All the pieces of one line share the first piece's timestamp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "logging/log_message.h"

namespace berth::logging {

inline constexpr size_t kMaxLogLine = size_t{16} * 1024;

class LineSplitter {
 public:
  // Called once per message; the message is only valid during the call.
  using Sink = std::function<Status(const LogMessage&)>;

  explicit LineSplitter(Stream stream, size_t max_line = kMaxLogLine);

  // Emits every message that `data` completes. Keeps going when the sink fails and returns the
  // first failure, so one bad write does not lose the following lines.
  Status feed(std::string_view data, int64_t now_ns, const Sink& sink);
  // End of stream: emits any unterminated rest as a partial message.
  Status flush(int64_t now_ns, const Sink& sink);

  size_t buffered() const { return pending_.size(); }

 private:
  Status emit(std::string_view tail, bool partial, int64_t now_ns, const Sink& sink);

  size_t max_line_;
  std::string pending_;  // bytes of the current line so far, never kMaxLogLine or more
  bool in_partial_ = false;
  int64_t partial_time_ns_ = 0;
  LogMessage msg_;  // reused so a steady stream allocates nothing
};

}  // namespace berth::logging
