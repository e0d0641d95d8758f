// The two-way pump between a client's hijacked connection (attach, exec start) and a shim
// stream: the process's output to the client — raw with a TTY, stdcopy-multiplexed without —
// and the client's input to the process, watching for the detach keys with a TTY (dockerd's
// stream.CopyStreams semantics).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "daemon/shim_client.h"
#include "http/hijacked_connection.h"
#include "http/stdcopy.h"

namespace berth::api {

struct RelayOptions {
  bool tty = false;
  bool forward_stdin = false;  // the client's input goes to the process
  bool stdout = true;          // which output the client asked for
  bool stderr = true;
  // At the end of the client's input: close the process's stdin and go on streaming its output
  // (dockerd's CloseStdin without a TTY), or else end the session.
  bool close_stdin_on_eof = false;
  std::string detach_keys;  // bytes (daemon/detach_keys.h); used only with a TTY
};

enum class RelayEnd {
  kExited,        // the exit frame came
  kDetached,      // the client typed the detach keys
  kInputEnded,    // the client's input ended the session
  kClientGone,    // the client's connection broke
  kStreamEnded,   // the shim closed the stream without an exit
};

struct RelayResult {
  RelayEnd end = RelayEnd::kStreamEnded;
  int exit_code = -1;
};

// Runs until one of RelayEnd happens. `on_exit` runs with the exit code before the client's
// connection is closed, so a client that inspects the exec right after sees it. The client's
// connection is closed on return; the shim stream is left open (for what comes after).
RelayResult relay_stream(http::HijackedConnection& client, daemon::ShimStream& shim,
                         const RelayOptions& options, const std::function<void(int)>& on_exit);

// One piece of output as the client expects it: raw with a TTY, else an stdcopy frame.
Status write_output(http::HijackedConnection& client, bool tty, http::StdStream stream,
                    std::string_view data);

// The media type of an attach/exec stream.
inline std::string_view stream_content_type(bool tty) {
  return tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
}

}  // namespace berth::api
