// Attaching to a container and waiting for its exit, as `start -a` and `attach` do: the wait is
// registered first so no exit is missed, signals are proxied without a TTY, the TTY follows the
// terminal's size, and the exit status becomes berth's.
#pragma once

#include <string>

#include "base/result.h"
#include "cli/core/cli.h"

namespace berth::cli {

struct AttachFlow {
  std::string id;
  bool tty = false;
  bool attach_stdin = false;
  bool attach_stdout = true;
  bool attach_stderr = true;
  bool sig_proxy = true;
  std::string detach_keys;
  std::string wait_condition = "next-exit";  // "" for `attach` (not-running)
  bool start = false;                         // start the container once attached
  bool resize_plus_one = false;               // attach's resize to h+1,w+1 first (forces SIGWINCH)
};

struct StreamOptions;
// Points a stream's stdout/stderr at the CLI's (with a TTY, the container's stderr arrives mixed
// into stdout, which docker prints on stdout).
void set_output_sinks(Cli& cli, StreamOptions& so, bool attach_stdout, bool attach_stderr,
                      bool tty);

// Forwards the signals berth receives to the container, as docker's sig-proxy does.
void proxy_signals_to_container(client::Client& c, const std::string& id);

// Returns the container's exit status (0 after a detach), or the error that stopped it.
Result<int> run_attach_flow(Cli& cli, client::Client& c, const AttachFlow& flow);

}  // namespace berth::cli
