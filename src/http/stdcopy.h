// Docker's stdcopy framing for multiplexed streams (attach/exec/logs without a TTY):
// each frame is an 8-byte header {stream, 0, 0, 0, size as big-endian uint32} then `size` bytes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace berth::http {

enum class StdStream : uint8_t { kStdin = 0, kStdout = 1, kStderr = 2, kSystemErr = 3 };

inline constexpr size_t kStdcopyHeaderSize = 8;

std::array<char, kStdcopyHeaderSize> stdcopy_header(StdStream stream, uint32_t size);
// Appends `payload` framed for `stream` to `out`; payloads over 4 GiB become several frames.
void stdcopy_append(std::string& out, StdStream stream, std::string_view payload);
std::string stdcopy_encode(StdStream stream, std::string_view payload);

// Incremental decoder: feed it bytes as they arrive, in pieces of any size. Payloads are passed
// on as they arrive (a frame may reach the sink in several pieces), so a large frame is never
// buffered whole.
class StdcopyDecoder {
 public:
  using Sink = std::function<Status(StdStream stream, std::string_view data)>;

  // Decodes `data`, calling `sink` for each payload piece. Fails on an unknown stream byte
  // (docker: "Unrecognized input header: N") or when the sink fails. Frames on stream 3
  // (kSystemErr) are passed to the sink like the others; docker's StdCopy turns them into an
  // error, which the sink may do by returning one.
  Status feed(std::string_view data, const Sink& sink);
  // True when no frame is half-read: the stream may end here cleanly.
  bool at_frame_boundary() const { return header_len_ == 0 && remaining_ == 0; }

 private:
  std::array<unsigned char, kStdcopyHeaderSize> header_{};
  size_t header_len_ = 0;
  StdStream stream_ = StdStream::kStdout;
  uint32_t remaining_ = 0;
};

}  // namespace berth::http
