#include "logging/log_writer.h"

#include "base/file_util.h"
#include "logging/json_file_writer.h"
#include "logging/local_writer.h"

namespace berth::logging {
namespace {

class NoneWriter final : public LogWriter {
 public:
  Status write(const LogMessage&) override { return ok_status(); }
  Status close() override { return ok_status(); }
};

}  // namespace

Result<std::unique_ptr<LogWriter>> make_log_writer(std::string_view driver_name,
                                                   const std::string& path,
                                                   const LogOptions& options,
                                                   const ContainerInfo& info) {
  TRY(validate_log_options(driver_name, options));
  LogDriver driver = TRY(parse_log_driver(driver_name));
  if (driver == LogDriver::kNone) return std::unique_ptr<LogWriter>(new NoneWriter());
  LogFileConfig config = TRY(parse_log_file_config(driver, options));
  std::vector<LogAttr> attrs = TRY(log_attributes(options, info));
  RotatingFile file = TRY(RotatingFile::open(path, config));
  if (driver == LogDriver::kJsonFile)
    return std::unique_ptr<LogWriter>(new JsonFileWriter(std::move(file), attrs));
  return std::unique_ptr<LogWriter>(new LocalWriter(std::move(file), std::move(attrs)));
}

std::string log_file_path(LogDriver driver, std::string_view container_dir, std::string_view id) {
  switch (driver) {
    case LogDriver::kJsonFile: return path_join(container_dir, std::string(id) + "-json.log");
    case LogDriver::kLocal: return path_join(container_dir, "container.log");
    case LogDriver::kNone: return "";
  }
  return "";
}

}  // namespace berth::logging
