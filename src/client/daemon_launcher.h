// Starting berthd on demand: a first `berth run` on a machine where nothing listens on the
// default socket starts the daemon, as the architecture promises ("if no daemon answers, berth
// starts one"). berthd runs detached (own session, stdio to a log file) so it outlives the CLI.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"

namespace berth::client {

struct LaunchOptions {
  // berthd's path; empty: beside the running berth binary, else found in PATH.
  std::string berthd;
  // Tried in order; the first that can be opened for appending takes berthd's output.
  std::vector<std::string> log_files = {"/var/log/berthd.log", "/run/berth/berthd.log"};
  std::chrono::milliseconds timeout = std::chrono::seconds(20);
  std::chrono::milliseconds poll_interval = std::chrono::milliseconds(25);
};

// Where berthd would be started from: <dir of /proc/self/exe>/berthd, else `berthd` in PATH;
// empty when neither exists.
std::string find_berthd();

// Starts berthd and waits until `answers()` returns true. Fails with the tail of berthd's log
// when it exits early or does not answer in time.
Status launch_daemon(const LaunchOptions& options, const std::function<bool()>& answers);

// The last `lines` lines of `path` ("" when unreadable).
std::string tail_file(const std::string& path, size_t lines);

}  // namespace berth::client
