// Runs the berth command line in-process with captured output, for tests.
#pragma once

#include <string>
#include <vector>

namespace berth::cli::testing {

struct CliRun {
  int exit = 0;
  std::string out;
  std::string err;
};

// `args` without "berth"; stdin reads from /dev/null.
CliRun run_berth(const std::vector<std::string>& args);

// Same, with `input` on stdin (through a pipe).
CliRun run_berth_with_stdin(const std::vector<std::string>& args, const std::string& input);

// Replaces whole-word "docker" with "berth" (for comparing with docker's recorded texts).
std::string docker_to_berth(std::string text);

}  // namespace berth::cli::testing
