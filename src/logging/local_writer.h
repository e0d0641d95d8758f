// The local driver's writer (see local_codec.h for the record format).
#pragma once

#include <string>
#include <vector>

#include "logging/local_codec.h"
#include "logging/log_writer.h"
#include "logging/rotating_file.h"

namespace berth::logging {

class LocalWriter final : public LogWriter {
 public:
  LocalWriter(RotatingFile file, std::vector<LogAttr> attrs);
  Status write(const LogMessage& msg) override;
  Status close() override { return file_.close(); }

 private:
  // Docker numbers the pieces of a split line and gives them a random id; one sequence per
  // stream can be open at a time.
  struct Sequence {
    std::string id;
    int32_t ordinal = 0;
  };

  RotatingFile file_;
  std::vector<LogAttr> attrs_;
  Sequence sequences_[2];
  PartialMeta meta_;
  std::string buf_;
};

}  // namespace berth::logging
