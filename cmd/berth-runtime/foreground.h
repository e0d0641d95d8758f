// `run` and `exec` without --detach: berth-runtime stays the parent, forwards signals to the
// process, relays a terminal it allocated, and exits with the process's status.
#pragma once

#include <sys/types.h>

namespace berth::runtime_cli {

// Blocks the signals that are forwarded, so none is lost between the child's creation and the
// supervision loop. Call before creating the process; the child unblocks them itself.
void block_forwarded_signals();

// Waits for `pid`, forwarding signals to it; relays stdin/stdout to `pty_master` when >= 0.
// Returns the exit code a shell would report (status, or 128 + signal).
int supervise(pid_t pid, int pty_master);

}  // namespace berth::runtime_cli
