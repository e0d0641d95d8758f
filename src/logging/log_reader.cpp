#include "logging/log_reader.h"

#include "logging/file_log_reader.h"
#include "logging/log_options.h"

namespace berth::logging {

Result<std::unique_ptr<LogReader>> open_log_reader(std::string_view driver_name,
                                                   const std::string& path,
                                                   const ReadOptions& options) {
  if (!options.show_stdout && !options.show_stderr)
    return Error(ErrorCode::kInvalidArgument, "You must choose at least one stream");
  LogDriver driver = TRY(parse_log_driver(driver_name));
  switch (driver) {
    case LogDriver::kNone:
      return Error(ErrorCode::kUnimplemented, "configured logging driver does not support reading");
    case LogDriver::kJsonFile: return FileLogReader::open(RecordFormat::kJsonLines, path, options);
    case LogDriver::kLocal: return FileLogReader::open(RecordFormat::kLocalFrames, path, options);
  }
  return Error(ErrorCode::kInternal, "unreachable");
}

}  // namespace berth::logging
