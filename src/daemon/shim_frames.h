// The frames that follow the reply of a shim stream operation (attach, exec; shim/protocol.h),
// read and written over the connection shim_open_stream returned.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "daemon/shim_client.h"
#include "shim/protocol.h"

namespace berth::daemon {

struct ShimFrame {
  shim::FrameKind kind = shim::FrameKind::kStdout;
  std::string payload;
};

class ShimFrameReader {
 public:
  // Borrows the stream's fd and takes the bytes read past its reply.
  explicit ShimFrameReader(ShimStream& stream);

  // The next frame; std::nullopt once the shim has closed the connection. Waits at most
  // `timeout_ms` (-1: no limit; then kDeadlineExceeded) and returns kCancelled as soon as
  // `abort_fd` (when >= 0) becomes readable.
  Result<std::optional<ShimFrame>> next(int timeout_ms = -1, int abort_fd = -1);

 private:
  int fd_;
  shim::FrameDecoder decoder_;
  bool eof_ = false;
};

// Sends one frame on a shim connection (blocking).
Status send_shim_frame(int fd, shim::FrameKind kind, std::string_view payload = {});

// The exit code an exit frame carries (-1 when it cannot be read).
int exit_code_of(const ShimFrame& frame);

}  // namespace berth::daemon
