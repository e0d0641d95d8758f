#include "api/log_output.h"

#include "http/stdcopy.h"
#include "logging/log_format.h"

namespace berth::api {

Status copy_log_messages(logging::LogReader& reader, const LogOutputOptions& options,
                         const std::function<Status(std::string_view)>& write) {
  while (true) {
    auto next = reader.next();
    if (!next.ok()) return next.error();
    if (!*next) return {};
    const logging::LogMessage& msg = **next;
    std::string line = logging::format_docker_log_line(msg, options.timestamps, options.details);
    if (!options.tty) {
      auto stream = msg.stream == logging::Stream::kStderr ? http::StdStream::kStderr
                                                           : http::StdStream::kStdout;
      line = http::stdcopy_encode(stream, line);
    }
    if (!write(line).ok()) return {};
  }
}

}  // namespace berth::api
