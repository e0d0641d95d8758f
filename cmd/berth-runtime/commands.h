// berth-runtime's subcommands, one function each, registered on a CLI11 app.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "runtime/runtime.h"

namespace berth::runtime_cli {

struct Globals {
  std::string root = "/run/berth-runtime";
  std::string log_path;
  std::string log_format = "text";
  bool debug = false;
  bool systemd_cgroup = false;
  std::string rootless = "auto";
  std::string criu;
};

// What the parsed command line asks for; run after logging is set up. Returns the exit code.
using Action = std::function<int()>;

// Each registers its subcommands; a parsed subcommand stores its Action in `action`.
void add_lifecycle_commands(CLI::App& app, Globals& globals,
                            Action& action);  // create run start delete kill state pause resume
void add_exec_command(CLI::App& app, Globals& globals, Action& action);
void add_query_commands(CLI::App& app, Globals& globals, Action& action);  // list ps events update
void add_spec_commands(CLI::App& app, Globals& globals, Action& action);   // spec features

// Reports an error as runc does (stderr, and the log when one is configured); returns 1.
int report(const Error& error);

runtime::Runtime make_runtime(const Globals& globals);

}  // namespace berth::runtime_cli
