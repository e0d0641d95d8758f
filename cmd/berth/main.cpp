// berth: the docker-compatible command line over the Docker Engine API that berthd serves.
#include <csignal>
#include <string>
#include <vector>

#include "cli/core/app.h"
#include "cli/core/cli.h"
#include "cli/run/signals.h"

int main(int argc, char** argv) {
  // Before any thread exists, so every thread inherits the blocked signal mask.
  berth::cli::start_signal_thread();
  // Writes to closed pipes fail with EPIPE instead of killing berth; Cli::out restores docker's
  // behaviour for stdout.
  ::signal(SIGPIPE, SIG_IGN);
  berth::cli::Cli cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  return berth::cli::run_app(cli, args);
}
