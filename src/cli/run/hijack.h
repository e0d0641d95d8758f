// docker's hijackedIOStreamer: pumps an attach/exec connection. Output goes to stdout (raw with a
// TTY) or is demultiplexed from stdcopy frames into stdout/stderr; stdin goes to the connection
// (through the detach-key escape proxy when a TTY is attached) and is half-closed at EOF.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/run/terminal.h"
#include "http/hijacked_connection.h"

namespace berth::cli {

struct StreamOptions {
  using Sink = std::function<void(std::string_view)>;
  int in_fd = -1;  // -1: no stdin attached
  Sink out;        // null: stdout not attached
  Sink err;        // null: stderr not attached (with a TTY the container's stderr is in `out`)
  int terminal_fd = -1;  // stdout's fd, put in raw mode with stdin when a TTY is attached
  bool tty = false;
  std::string detach_keys;  // "" → ctrl-p,ctrl-q
};

enum class StreamEnd {
  kOutputDone,  // the container's output ended (it exited, or the daemon closed)
  kInputDone,   // stdin ended and nothing else was attached
  kDetached,    // the user typed the detach keys
  kCancelled,   // cancel() was called
};

struct StreamState;

// Pumps one connection. With a TTY and stdin attached, the terminal is raw from start() until
// wait() returns. The pump threads share the connection and may outlive this object (a thread
// blocked reading stdin cannot be interrupted; docker leaves its goroutine the same way).
class HijackStreamer {
 public:
  HijackStreamer(std::shared_ptr<http::HijackedConnection> conn, StreamOptions options);
  ~HijackStreamer();
  void start();
  StreamEnd wait();
  // From any thread: makes wait() return kCancelled (e.g. the container exited while only
  // stdin was attached).
  void cancel();

 private:
  std::shared_ptr<http::HijackedConnection> conn_;
  StreamOptions options_;
  std::shared_ptr<StreamState> state_;
  std::unique_ptr<RawTerminal> raw_in_;
  std::unique_ptr<RawTerminal> raw_out_;
  bool has_output_ = false;
};

// start() then wait().
StreamEnd stream_hijacked(std::shared_ptr<http::HijackedConnection> conn,
                          const StreamOptions& options);

// moby/term ToBytes: "ctrl-p,ctrl-q" → {16, 17}. Error: "Unknown character: 'x'" etc.
Result<std::vector<unsigned char>> detach_key_bytes(const std::string& keys);

}  // namespace berth::cli
