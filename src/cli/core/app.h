// The berth command line: builds the command tree and runs one invocation with docker's
// dispatch, help and exit-code rules.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/core/cli.h"
#include "cli/core/command.h"

namespace berth::cli {

// The whole tree: root with global flags, every command and management group.
std::unique_ptr<Command> build_root(Cli& cli);

// Runs `args` (without argv[0]); returns the process exit code.
int run_app(Cli& cli, const std::vector<std::string>& args);

}  // namespace berth::cli
