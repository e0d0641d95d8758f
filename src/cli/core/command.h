// Command: a node of the command tree, as cobra models docker's: a use line, short help, flags,
// an argument rule, and either a run function or subcommands. Help and error texts follow the
// docker CLI's templates (help.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/flags/flag_set.h"

namespace berth::cli {

class Cli;
class Command;

struct Invocation {
  Cli& cli;
  Command& command;
  std::vector<std::string> args;
};

// Returns the exit code; an Error is printed to stderr and exits 1. Commands that need another
// exit code with a message print it themselves (Cli::fail).
using RunFn = std::function<Result<int>(Invocation&)>;

enum class ArgRule { kAny, kNone, kMin, kMax, kExact, kRange };

enum class Group {
  kCommands,    // "Commands:"
  kManagement,  // "Management Commands:"
};

class Command {
 public:
  Command(std::string use, std::string short_help);

  // The first word of the use line.
  const std::string& name() const { return name_; }
  const std::string& use() const { return use_; }
  const std::string& short_help() const { return short_; }
  std::string long_help;
  std::string example;
  // cobra Aliases ("ls", "list"): other names under the same parent.
  std::vector<std::string> aliases;
  // docker's "aliases" annotation, e.g. "berth container ls, berth ps"; derived when empty.
  std::string aliases_line;
  // docker's "category-top": listed under "Common Commands:" at that position.
  int top_order = 0;
  Group group = Group::kCommands;
  bool hidden = false;

  FlagSet& flags() { return flags_; }
  const FlagSet& flags() const { return flags_; }

  void set_args(ArgRule rule, int a = 0, int b = 0) {
    rule_ = rule;
    arg_a_ = a;
    arg_b_ = b;
  }
  void set_run(RunFn fn) { run_ = std::move(fn); }
  bool runnable() const { return static_cast<bool>(run_); }
  const RunFn& run_fn() const { return run_; }

  Command& add(std::unique_ptr<Command> child);
  const std::vector<std::unique_ptr<Command>>& children() const { return children_; }
  bool has_subcommands() const { return !children_.empty(); }
  Command* find_child(std::string_view name) const;
  Command* parent() const { return parent_; }
  const Command& root() const;

  // "berth container ls".
  std::string command_path() const;
  // cobra's UseLine: the command path plus the use line's arguments.
  std::string use_line() const;

  // Checks the positional arguments against the rule; the error has docker's text.
  Status check_args(const std::vector<std::string>& args) const;

 private:
  std::string use_;
  std::string name_;
  std::string short_;
  FlagSet flags_;
  ArgRule rule_ = ArgRule::kAny;
  int arg_a_ = 0;
  int arg_b_ = 0;
  RunFn run_;
  std::vector<std::unique_ptr<Command>> children_;
  Command* parent_ = nullptr;
};

// Help text for `cmd` in docker's layout; `width` is the terminal width (80 when unknown).
std::string render_help(const Command& cmd, int width);

}  // namespace berth::cli
