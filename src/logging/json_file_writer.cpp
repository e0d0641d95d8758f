#include "logging/json_file_writer.h"

#include "logging/go_json.h"
#include "logging/json_file_codec.h"

namespace berth::logging {
namespace {

// A record can be six times its line (every byte \u00XX); keep no more than this between
// records so one huge line does not pin memory in the shim.
constexpr size_t kKeepBuffer = size_t{32} * 1024;

}  // namespace

JsonFileWriter::JsonFileWriter(RotatingFile file, const std::vector<LogAttr>& attrs)
    : file_(std::move(file)) {
  if (!attrs.empty()) attrs_json_ = go_json_string_map(attrs);
}

Status JsonFileWriter::write(const LogMessage& msg) {
  buf_.clear();
  append_json_log_record(buf_, msg, attrs_json_);
  Status s = file_.write(buf_, msg.time_ns);
  if (buf_.capacity() > kKeepBuffer) std::string().swap(buf_);
  return s;
}

}  // namespace berth::logging
