// The json-file driver's record: one JSON object per line,
//   {"log":"hello\n","stream":"stdout","attrs":{"k":"v"},"time":"2024-01-02T03:04:05.123456789Z"}
// with keys in that order, as Docker's jsonlog.JSONLogs.MarshalJSONBuf writes them.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "logging/log_message.h"

namespace berth::logging {

// Appends msg's record, '\n' included. A message that is not partial gets a '\n' at the end of
// its "log" value when its line lacks one. `attrs_json` is a JSON object or empty (no "attrs").
void append_json_log_record(std::string& out, const LogMessage& msg, std::string_view attrs_json);

// Parses one record (without its '\n'). Attributes are decoded only when `want_attrs`. Unknown
// keys are skipped; a "stream" other than stdout/stderr is an error (kDataLoss), as is bad JSON.
Result<LogMessage> parse_json_log_record(std::string_view record, bool want_attrs);

}  // namespace berth::logging
