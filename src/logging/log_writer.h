// The writing half of a log driver, used by berth-shim: it turns each LogMessage (from a
// LineSplitter) into a record in the container's log file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "logging/log_attributes.h"
#include "logging/log_message.h"
#include "logging/log_options.h"

namespace berth::logging {

class LogWriter {
 public:
  virtual ~LogWriter() = default;
  // Appends one message (one write(2)). msg.attrs is ignored: the driver stamps the
  // attributes its options selected.
  virtual Status write(const LogMessage& msg) = 0;
  // Closes the file; later writes fail.
  virtual Status close() = 0;
};

// Validates `options` for `driver` ("json-file", "local", "none") with Docker's rules and
// messages, then opens (creating) the log file at `path`. The none driver writes nothing.
Result<std::unique_ptr<LogWriter>> make_log_writer(std::string_view driver, const std::string& path,
                                                   const LogOptions& options,
                                                   const ContainerInfo& info);

// Where a driver keeps a container's log (docs/engine.md): <dir>/<id>-json.log for json-file,
// <dir>/container.log for local, "" for none.
std::string log_file_path(LogDriver driver, std::string_view container_dir, std::string_view id);

}  // namespace berth::logging
