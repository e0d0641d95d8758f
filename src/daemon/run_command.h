// Running a host program from berthd (a multi-threaded process: posix_spawn, no fork) and
// collecting what it prints.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace berth::daemon {

struct CommandOutput {
  int exit_code = 0;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null; returns once it has exited.
Result<CommandOutput> run_command(const std::vector<std::string>& argv);

}  // namespace berth::daemon
