#include "cli/core/app.h"

#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "cli/commands/common.h"
#include "cli/commands/registry.h"

namespace berth::cli {
namespace {

// The message as docker prints a Go error: with the errno text lower-cased ("open x: no such
// file or directory").
std::string error_text(const Error& e) {
  if (e.sys_errno() == 0) return e.message();
  std::string reason = std::strerror(e.sys_errno());
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return e.message() + ": " + reason;
}

int flag_error(Cli& cli, const Command& cmd, const Error& e) {
  return cli.fail(fmt::format("{}\n\nUsage:  {}\n\nRun '{} --help' for more information",
                              e.message(), cmd.use_line(), cmd.command_path()),
                  125);
}

void add_global_flags(Command& root, GlobalOptions& o) {
  FlagSet& f = root.flags();
  f.set_interspersed(false);
  f.add_string("config", "", &o.config_dir, "", "Location of client config files");
  f.add_string("context", "c", &o.context, "",
               "Name of the context to use to connect to the daemon (overrides BERTH_HOST env "
               "var)");
  f.add_bool("debug", "D", &o.debug, false, "Enable debug mode");
  f.add_list("host", "H", &o.hosts, "Daemon socket to connect to");
  f.add_string("log-level", "l", &o.log_level, "info",
               "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")");
  f.add_bool("tls", "", &o.host.tls, false, "Use TLS; implied by --tlsverify");
  f.add_string("tlscacert", "", &o.host.tls_ca_cert, "",
               "Trust certs signed only by this CA (default \"~/.docker/ca.pem\")");
  f.add_string("tlscert", "", &o.host.tls_cert, "",
               "Path to TLS certificate file (default \"~/.docker/cert.pem\")");
  f.add_string("tlskey", "", &o.host.tls_key, "",
               "Path to TLS key file (default \"~/.docker/key.pem\")");
  f.add_bool("tlsverify", "", &o.host.tls_verify, false, "Use TLS and verify the remote");
  f.add_bool("version", "v", &o.version, false, "Print version information and quit");
}

bool help_flag_set(const Command& cmd) {
  if (cmd.flags().help_requested()) return true;
  const Flag* help = cmd.flags().lookup("help");
  return help != nullptr && help->changed && help->value->str() == "true";
}

// Runs a leaf command (or a management command given flags) with its arguments.
int run_command(Cli& cli, Command& cmd, const std::vector<std::string>& args) {
  auto positional = cmd.flags().parse(args);
  for (const auto& notice : cmd.flags().notices()) cli.err(notice + "\n");
  if (!positional.ok()) {
    if (help_flag_set(cmd)) {
      cli.out(render_help(cmd, cli.help_width()));
      return 0;
    }
    return flag_error(cli, cmd, positional.error());
  }
  if (help_flag_set(cmd)) {
    cli.out(render_help(cmd, cli.help_width()));
    return 0;
  }
  if (!cmd.runnable()) {
    cli.err(render_help(cmd, cli.help_width()));
    return 0;
  }
  Status valid = cmd.check_args(*positional);
  if (!valid.ok()) return cli.fail(valid.error().message(), 1);
  if (!cli.options().context.empty() && cli.options().context != "default") {
    return cli.fail(fmt::format("context \"{}\" does not exist", cli.options().context), 1);
  }
  Invocation inv{cli, cmd, std::move(positional).value()};
  Result<int> code = cmd.run_fn()(inv);
  if (!code.ok()) {
    if (!code.error().message().empty()) cli.fail(error_text(code.error()), 1);
    return 1;
  }
  return *code;
}

}  // namespace

std::unique_ptr<Command> build_root(Cli& cli) {
  auto root = std::make_unique<Command>(std::string(Cli::kName) + " [OPTIONS] COMMAND [ARG...]",
                                        "A self-sufficient runtime for containers");
  add_global_flags(*root, cli.options());
  register_commands(*root, cli);
  return root;
}

int run_app(Cli& cli, const std::vector<std::string>& args) {
  std::unique_ptr<Command> root = build_root(cli);
  auto rest = root->flags().parse(args);
  for (const auto& notice : root->flags().notices()) cli.err(notice + "\n");
  if (!rest.ok()) return flag_error(cli, *root, rest.error());
  if (cli.options().version) {
    cli.out(fmt::format("Berth version {}, build {}\n", BERTH_VERSION, "berth"));
    return 0;
  }
  if (root->flags().help_requested()) {
    cli.out(render_help(*root, cli.help_width()));
    return 0;
  }
  if (rest->empty()) {
    // Bare `berth`: docker shows its help on stderr (ShowHelp(dockerCli.Err())), exit status 0.
    cli.err(render_help(*root, cli.help_width()));
    return 0;
  }
  std::vector<std::string> remaining = *rest;
  Command* cmd = root.get();
  // `help CMD...` shows CMD's help.
  bool help_command = remaining[0] == "help";
  if (help_command) remaining.erase(remaining.begin());
  while (!remaining.empty() && cmd->has_subcommands()) {
    Command* child = cmd->find_child(remaining[0]);
    if (child == nullptr) {
      if (remaining[0].starts_with("-")) break;  // flags of the management command itself
      if (cmd == root.get()) {
        return cli.fail(fmt::format("{0}: unknown command: {0} {1}\n\nRun '{0} --help' for more "
                                    "information",
                                    Cli::kName, remaining[0]),
                        1);
      }
      return cli.fail(cmd->check_args(remaining).error().message(), 1);
    }
    cmd = child;
    remaining.erase(remaining.begin());
  }
  if (help_command) {
    cli.out(render_help(*cmd, cli.help_width()));
    return 0;
  }
  return run_command(cli, *cmd, remaining);
}

}  // namespace berth::cli
