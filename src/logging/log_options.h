// --log-driver / --log-opt: which drivers exist, which options each accepts, and the values of
// the file drivers' rotation options, with Docker's defaults and error messages.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::logging {

using LogOptions = std::map<std::string, std::string>;

enum class LogDriver { kJsonFile, kLocal, kNone };

// "json-file", "local", "none"; anything else is "logger: no log driver named 'x' is registered".
Result<LogDriver> parse_log_driver(std::string_view name);
std::string_view log_driver_name(LogDriver driver);

// Docker's ValidateLogOpts: the generic options (mode, max-buffer-size), then the option names
// the driver knows ("unknown log opt 'foo' for json-file log driver"). Values of the rotation
// options are checked by parse_log_file_config. The none driver accepts anything.
Status validate_log_options(std::string_view driver, const LogOptions& options);

struct LogFileConfig {
  int64_t max_size = -1;  // bytes before rotating; -1: never rotate
  int max_files = 1;      // files kept, the one being written included
  bool compress = false;  // gzip rotated files
};

// The rotation settings for json-file (defaults: no limit, 1 file, no compression) or local
// (20 MiB, 5 files, compressed), with Docker's checks and messages.
Result<LogFileConfig> parse_log_file_config(LogDriver driver, const LogOptions& options);

// go-units FromHumanSize: decimal units ("10k" = 10000, "1.5m", "2GB", "3 kib" also decimal).
Result<int64_t> parse_human_size(std::string_view text);

}  // namespace berth::logging
