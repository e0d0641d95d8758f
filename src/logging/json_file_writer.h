// The json-file driver's writer (see json_file_codec.h for the record format).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "logging/log_writer.h"
#include "logging/rotating_file.h"

namespace berth::logging {

class JsonFileWriter final : public LogWriter {
 public:
  JsonFileWriter(RotatingFile file, const std::vector<LogAttr>& attrs);
  Status write(const LogMessage& msg) override;
  Status close() override { return file_.close(); }

 private:
  RotatingFile file_;
  std::string attrs_json_;  // encoded once; empty when there are none
  std::string buf_;         // reused for every record
};

}  // namespace berth::logging
