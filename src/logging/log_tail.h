// --tail without reading whole files: finds where the last N records of a plain log file start
// by walking it backwards (json-file: counting '\n' in blocks from the end; local: following
// the length words that end each frame).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "logging/record_source.h"

namespace berth::logging {

struct TailStart {
  int64_t offset = 0;   // where the first of the records starts
  int64_t records = 0;  // how many complete records lie in [offset, end): min(n, all of them)
};

// The last `n` complete records of the first `end` bytes of `fd`; bytes after the last complete
// record (a write in progress) are not counted. n == 0 gives the end of the last complete record.
Result<TailStart> find_tail(int fd, RecordFormat format, int64_t end, int64_t n);

}  // namespace berth::logging
