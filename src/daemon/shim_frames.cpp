#include "daemon/shim_frames.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace berth::daemon {

ShimFrameReader::ShimFrameReader(ShimStream& stream) : fd_(stream.fd.get()) {
  decoder_.feed(stream.leftover);
  stream.leftover.clear();
}

Result<std::optional<ShimFrame>> ShimFrameReader::next(int timeout_ms, int abort_fd) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
  while (true) {
    ShimFrame frame;
    if (TRY(decoder_.next(&frame.kind, &frame.payload))) return std::optional<ShimFrame>(frame);
    if (eof_) return std::optional<ShimFrame>();
    struct pollfd fds[2] = {{fd_, POLLIN, 0}, {abort_fd, POLLIN, 0}};
    int wait = -1;
    if (timeout_ms >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return Error(ErrorCode::kDeadlineExceeded, "timed out");
      wait = static_cast<int>(left.count());
    }
    int rc = ::poll(fds, abort_fd >= 0 ? 2 : 1, wait);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return errno_error("poll shim connection");
    }
    if (rc == 0) continue;  // the deadline check above ends it
    if (abort_fd >= 0 && (fds[1].revents & POLLIN)) return Error(ErrorCode::kCancelled, "cancelled");
    char buf[32768];
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      // A reset connection ends the stream like a close.
      eof_ = true;
      continue;
    }
    if (n == 0) {
      eof_ = true;
      continue;
    }
    decoder_.feed(std::string_view(buf, static_cast<size_t>(n)));
  }
}

Status send_shim_frame(int fd, shim::FrameKind kind, std::string_view payload) {
  std::string out;
  shim::encode_frame(kind, payload, out);
  return shim::write_all(fd, out);
}

int exit_code_of(const ShimFrame& frame) {
  auto parsed = parse_json(frame.payload, "exit frame");
  if (!parsed.ok() || !parsed->is_object()) return -1;
  return parsed->value("exit_code", -1);
}

}  // namespace berth::daemon
