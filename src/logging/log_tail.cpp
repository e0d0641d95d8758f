#include "logging/log_tail.h"

#include <unistd.h>

#include <deque>
#include <string>

#include "logging/local_codec.h"

namespace berth::logging {
namespace {

constexpr int64_t kBlock = int64_t{64} * 1024;

Status pread_exact(int fd, char* buf, size_t len, int64_t offset) {
  while (len > 0) {
    ssize_t n = ::pread(fd, buf, len, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("read log file");
    if (n == 0) return Error(ErrorCode::kDataLoss, "log file shrank while reading it");
    buf += n;
    len -= static_cast<size_t>(n);
    offset += n;
  }
  return ok_status();
}

Result<TailStart> tail_json(int fd, int64_t end, int64_t n) {
  std::string block(static_cast<size_t>(std::min(kBlock, std::max<int64_t>(end, 1))), '\0');
  // Newlines seen so far, walking back from `end`; the first one closes the last complete
  // record, each further one starts a record after it.
  int64_t newlines = 0;
  TailStart result;
  for (int64_t hi = end; hi > 0;) {
    int64_t lo = std::max<int64_t>(0, hi - kBlock);
    TRY(pread_exact(fd, block.data(), static_cast<size_t>(hi - lo), lo));
    for (int64_t i = hi - lo - 1; i >= 0; --i) {
      if (block[static_cast<size_t>(i)] != '\n') continue;
      ++newlines;
      if (newlines == n + 1) {
        result.offset = lo + i + 1;
        result.records = n;
        return result;
      }
    }
    hi = lo;
  }
  // No newline at all, or fewer than n records: all of them, from the start. (With n == 0 and
  // a newline the loop has returned already.)
  return TailStart{0, newlines};
}

// Forward walk over the frames, for a file whose end is not a complete frame.
Result<TailStart> tail_local_forward(int fd, int64_t end, int64_t n) {
  std::deque<int64_t> starts;  // the last n+1 frame starts (the last being the complete end)
  int64_t off = 0;
  int64_t total = 0;
  char word[4];
  starts.push_back(0);
  while (off + static_cast<int64_t>(kLocalFrameOverhead) <= end) {
    TRY(pread_exact(fd, word, 4, off));
    uint32_t len = read_be32(word);
    if (len > kLocalMaxEntry || off + len + static_cast<int64_t>(kLocalFrameOverhead) > end) break;
    off += len + kLocalFrameOverhead;
    ++total;
    starts.push_back(off);
    if (static_cast<int64_t>(starts.size()) > n + 1) starts.pop_front();
  }
  return TailStart{starts.front(), std::min(total, n)};
}

Result<TailStart> tail_local(int fd, int64_t end, int64_t n) {
  int64_t off = end;
  int64_t found = 0;
  char word[4];
  while (off > 0 && found < n) {
    if (off < static_cast<int64_t>(kLocalFrameOverhead)) return tail_local_forward(fd, end, n);
    TRY(pread_exact(fd, word, 4, off - 4));
    uint32_t len = read_be32(word);
    int64_t start = off - static_cast<int64_t>(kLocalFrameOverhead) - len;
    if (len > kLocalMaxEntry || start < 0) return tail_local_forward(fd, end, n);
    TRY(pread_exact(fd, word, 4, start));
    if (read_be32(word) != len) return tail_local_forward(fd, end, n);
    off = start;
    ++found;
  }
  if (n == 0 && end > 0) {
    // Is the end itself the end of a frame? Check the last frame's two length words agree.
    if (end < static_cast<int64_t>(kLocalFrameOverhead)) return tail_local_forward(fd, end, 0);
    TRY(pread_exact(fd, word, 4, end - 4));
    uint32_t len = read_be32(word);
    int64_t start = end - static_cast<int64_t>(kLocalFrameOverhead) - len;
    if (len > kLocalMaxEntry || start < 0) return tail_local_forward(fd, end, 0);
    TRY(pread_exact(fd, word, 4, start));
    if (read_be32(word) != len) return tail_local_forward(fd, end, 0);
  }
  return TailStart{off, found};
}

}  // namespace

Result<TailStart> find_tail(int fd, RecordFormat format, int64_t end, int64_t n) {
  if (format == RecordFormat::kJsonLines) return tail_json(fd, end, n);
  return tail_local(fd, end, n);
}

}  // namespace berth::logging
