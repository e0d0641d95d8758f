// The berthd <-> berth-shim protocol on shim.sock (docs/engine.md): one JSON request line, one
// JSON reply line, then — for stream operations — frames of [kind:1][length:4 BE][payload].
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace berth::shim {

enum class FrameKind : uint8_t {
  kStdin = 0,
  kStdout = 1,
  kStderr = 2,
  kExit = 3,        // payload: {"exit_code": N, "oom_killed": bool, "exited_at": ns}
  kCloseStdin = 4,  // no payload
  kResize = 5,      // payload: {"h": rows, "w": cols}
};

inline constexpr size_t kFrameHeaderSize = 5;
inline constexpr uint32_t kMaxFramePayload = 1 << 20;

// Appends one frame to `out`.
void encode_frame(FrameKind kind, std::string_view payload, std::string& out);

// Incremental frame decoding: feed bytes, pop complete frames.
class FrameDecoder {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // True and fills kind/payload when a whole frame is buffered; an oversized frame is an error.
  Result<bool> next(FrameKind* kind, std::string* payload);

 private:
  std::string buffer_;
};

// Blocking helpers over a connected socket (berthd side and tests).
Status write_all(int fd, std::string_view data);
// Reads one '\n'-terminated line (without the newline); bytes read past it land in `rest`.
Result<std::string> read_line(int fd, std::string* rest);
Status write_json_line(int fd, const Json& value);
Result<Json> read_json_line(int fd, std::string* rest);

// The files of a container's bundle directory that the protocol names.
inline std::string socket_path(const std::string& bundle) { return bundle + "/shim.sock"; }
inline std::string exit_file_path(const std::string& bundle) { return bundle + "/exit.json"; }
inline std::string config_path(const std::string& bundle) { return bundle + "/shim.json"; }
inline std::string pid_file_path(const std::string& bundle) { return bundle + "/shim.pid"; }

}  // namespace berth::shim
