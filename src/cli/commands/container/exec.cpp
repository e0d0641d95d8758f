// exec (cli/command/container/exec.go).
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/opts/kvfile.h"
#include "cli/opts/validators.h"
#include "cli/run/attach_flow.h"
#include "cli/run/hijack.h"
#include "cli/run/signals.h"
#include "cli/run/terminal.h"
#include "client/containers.h"
#include "client/exec.h"

namespace berth::cli {
namespace {

struct ExecOptions {
  std::string detach_keys;
  bool interactive = false;
  bool tty = false;
  bool detach = false;
  std::string user;
  bool privileged = false;
  std::vector<std::string> env;
  std::vector<std::string> env_file;
  std::string workdir;
};

Result<int> run_exec(Invocation& inv, const ExecOptions& o) {
  Cli& cli = inv.cli;
  const std::string& container = inv.args[0];
  std::vector<std::string> command(inv.args.begin() + 1, inv.args.end());
  std::vector<std::string> env = TRY(read_kv_strings(o.env_file, o.env, &cli.env));
  bool attach_stdin = !o.detach && o.interactive;
  bool attach_out = !o.detach;
  std::string detach_keys = o.detach_keys.empty() ? cli.config().detach_keys() : o.detach_keys;

  client::Client& c = *TRY(cli.client());
  TRY(client::container_inspect(c, container));
  if (!o.detach && attach_stdin && o.tty && !cli.in_is_terminal()) {
    return Error(ErrorCode::kInvalidArgument, "the input device is not a TTY");
  }
  TermSize size = o.tty ? terminal_size(cli.out_fd()) : TermSize{};
  // container.ExecOptions in Go's field order.
  OrderedJson body = OrderedJson::object();
  body["User"] = o.user;
  body["Privileged"] = o.privileged;
  body["Tty"] = o.tty;
  if (o.tty) body["ConsoleSize"] = OrderedJson::array({size.height, size.width});
  body["AttachStdin"] = attach_stdin;
  body["AttachStderr"] = attach_out;
  body["AttachStdout"] = attach_out;
  body["Detach"] = o.detach;
  body["DetachKeys"] = detach_keys;
  body["Env"] = env.empty() ? OrderedJson(nullptr) : OrderedJson(env);
  body["WorkingDir"] = o.workdir;
  body["Cmd"] = command;
  std::string exec_id = TRY(client::exec_create(c, container, body));
  if (exec_id.empty()) return Error(ErrorCode::kInternal, "exec ID empty");
  if (o.detach) {
    TRY(client::exec_start_detached(c, exec_id, o.tty));
    return 0;
  }
  auto conn = std::shared_ptr<http::HijackedConnection>(TRY(client::exec_start_attached(
      c, exec_id, o.tty, static_cast<int>(size.height), static_cast<int>(size.width))));
  StreamOptions so;
  so.in_fd = attach_stdin ? cli.in_fd() : -1;
  set_output_sinks(cli, so, true, true, o.tty);
  so.tty = o.tty;
  so.detach_keys = detach_keys;
  HijackStreamer streamer(conn, so);
  streamer.start();
  if (o.tty && cli.in_is_terminal()) {
    auto resize = [&c, &cli, exec_id] {
      TermSize s = terminal_size(cli.out_fd());
      if (s.height != 0 || s.width != 0) {
        (void)client::exec_resize(c, exec_id, static_cast<int>(s.height), static_cast<int>(s.width));
      }
    };
    resize();
    set_winch_handler(resize);
  }
  StreamEnd end = streamer.wait();
  set_winch_handler(nullptr);
  if (end == StreamEnd::kDetached) return 0;
  Json state = TRY(client::exec_inspect(c, exec_id));
  return state.value("ExitCode", 0);
}

}  // namespace

std::unique_ptr<Command> new_exec_command(Cli& cli, bool top_level) {
  auto cmd = new_command("exec [OPTIONS] CONTAINER COMMAND [ARG...]",
                         "Execute a command in a running container",
                         "berth container exec, berth exec");
  if (top_level) cmd->top_order = 2;
  cmd->set_args(ArgRule::kMin, 2);
  auto o = std::make_shared<ExecOptions>();
  FlagSet& f = cmd->flags();
  f.set_interspersed(false);
  f.add_string("detach-keys", "", &o->detach_keys, "",
               "Override the key sequence for detaching a container");
  f.add_bool("interactive", "i", &o->interactive, false, "Keep STDIN open even if not attached");
  f.add_bool("tty", "t", &o->tty, false, "Allocate a pseudo-TTY");
  f.add_bool("detach", "d", &o->detach, false, "Detached mode: run command in the background");
  f.add_string("user", "u", &o->user, "", "Username or UID (format: \"<name|uid>[:<group|gid>]\")");
  f.add_bool("privileged", "", &o->privileged, false, "Give extended privileges to the command");
  client::EnvLookup env = cli.env;
  f.add_list("env", "e", &o->env, "Set environment variables",
             [env](std::string_view v) { return validate_env(v, env); });
  f.add_list("env-file", "", &o->env_file, "Read in a file of environment variables");
  f.add_string("workdir", "w", &o->workdir, "", "Working directory inside the container");
  cmd->set_run([o](Invocation& inv) { return run_exec(inv, *o); });
  return cmd;
}

}  // namespace berth::cli
