// The local driver's record, as Docker's daemon/logger/local writes it: a protobuf LogEntry
//   { string source = 1; int64 time_nano = 2; bytes line = 3; bool partial = 4;
//     PartialLogEntryMetadata partial_log_metadata = 5 { bool last = 1; string id = 2;
//     int32 ordinal = 3; }; repeated LogAttr attrs = 6 { string key = 1; string value = 2; } }
// framed by its length as a 4-byte big-endian integer before and after (the trailing copy is
// what lets a reader walk the file backwards for --tail).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "logging/log_message.h"

namespace berth::logging {

inline constexpr size_t kLocalFrameOverhead = 8;
// Docker's reader refuses larger entries; so do we, to resynchronise on garbage quickly.
inline constexpr uint32_t kLocalMaxEntry = 1'000'000;

// Docker's partial-line metadata: every piece of a split line carries it, the final piece with
// last = true.
struct PartialMeta {
  bool present = false;
  bool last = false;
  std::string id;
  int32_t ordinal = 0;
};

// Appends one framed record. A complete line is stored without its trailing '\n', as Docker
// stores it.
void append_local_record(std::string& out, const LogMessage& msg, const PartialMeta& partial,
                         const std::vector<LogAttr>& attrs);

// Decodes a record's protobuf payload (between the two length words). The '\n' comes back on
// complete lines, and `partial` is set on every piece but the last one of a split line.
Result<LogMessage> parse_local_entry(std::string_view payload);

inline uint32_t read_be32(const char* p) {
  auto u = [&](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(p[i])); };
  return u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
}

}  // namespace berth::logging
