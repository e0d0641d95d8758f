// One log record as the log drivers write and read it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::logging {

enum class Stream { kStdout, kStderr };

// "stdout" / "stderr", the names Docker stores in its log files.
inline std::string_view stream_name(Stream stream) {
  return stream == Stream::kStderr ? "stderr" : "stdout";
}

// A key and value from --log-opt labels=/labels-regex=/env=/env-regex=/tag=.
using LogAttr = std::pair<std::string, std::string>;

struct LogMessage {
  Stream stream = Stream::kStdout;
  // The bytes the container wrote. A complete line ends with '\n'; a partial one (a piece of
  // a line longer than kMaxLogLine, or what was left when the stream closed) does not.
  std::string line;
  int64_t time_ns = 0;  // Unix nanoseconds, UTC
  bool partial = false;
  // Sorted by key. Filled by the readers; the writers add their own configured attributes.
  std::vector<LogAttr> attrs;
};

}  // namespace berth::logging
