// Writing log messages the way `docker logs` and `attach?logs=1` read them: each line formatted
// by the logging module (timestamps, details), then raw with a TTY or stdcopy-framed for its
// stream.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "logging/log_reader.h"

namespace berth::api {

struct LogOutputOptions {
  bool tty = false;
  bool timestamps = false;
  bool details = false;
};

// Reads `reader` to its end, passing each formatted (and framed) message to `write`. Stops at
// the first failed write (the client went away), which is not an error.
Status copy_log_messages(logging::LogReader& reader, const LogOutputOptions& options,
                         const std::function<Status(std::string_view)>& write);

}  // namespace berth::api
