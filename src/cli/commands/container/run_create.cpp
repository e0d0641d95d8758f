// `run` and `create` (cli/command/container/run.go and create.go).
#include <unistd.h>

#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/format/units.h"
#include "cli/run/attach_flow.h"
#include "cli/run/container_options.h"
#include "cli/run/create_flow.h"
#include "cli/run/hijack.h"
#include "cli/run/signals.h"
#include "cli/run/terminal.h"
#include "client/api_error.h"
#include "client/containers.h"

namespace berth::cli {
namespace {

std::string cwd() {
  char buf[4096];
  return ::getcwd(buf, sizeof(buf)) != nullptr ? buf : "/";
}

struct RunState {
  ContainerOptions copts;
  CreateOptions create;
  bool detach = false;
  bool sig_proxy = true;
  std::string detach_keys;
  bool help = false;
};

// docker's withHelp + toStatusError: 127 for a missing executable, 126 for one that cannot be
// run, 125 for anything else the daemon refused.
int status_error(Cli& cli, const Error& e, const std::string& command) {
  const std::string& m = e.message();
  int code = 125;
  if (m.find("executable file not found") != std::string::npos ||
      m.find("no such file or directory") != std::string::npos ||
      m.find("system cannot find the file specified") != std::string::npos) {
    code = 127;
  } else if (m.find("permission denied") != std::string::npos ||
             m.find("is a directory") != std::string::npos) {
    code = 126;
  }
  return cli.fail(fmt::format("{0}: {1}\n\nRun '{0} {2} --help' for more information", Cli::kName,
                              m, command),
                  code);
}

int usage_error(Cli& cli, const Error& e, const std::string& command) {
  return cli.fail(fmt::format("{0}: {1}\n\nRun '{0} {2} --help' for more information", Cli::kName,
                              e.message(), command),
                  125);
}

Result<ContainerConfig> parse_for(Cli& cli, Invocation& inv, RunState& s) {
  s.copts.image = inv.args[0];
  s.copts.args.assign(inv.args.begin() + 1, inv.args.end());
  return parse_container_options(inv.command.flags(), s.copts, cli.env, cwd());
}

// logrus's error line, as docker prints it: "ERRO[0000] msg" on a terminal, the logfmt form
// otherwise.
void log_error(Cli& cli, const std::string& message) {
  if (cli.err_is_terminal()) {
    cli.err("ERRO[0000] " + message + "\n");
    return;
  }
  std::time_t now = std::time(nullptr);
  struct tm tm {};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  cli.err(fmt::format("time=\"{}\" level=error msg={}\n", stamp, go_quote(message)));
}

// Waits for the container's exit (or removal with --rm) from before it starts, so no exit is
// missed; the status arrives on `status` (125 when waiting failed, as docker reports it).
class ExitWaiter {
 public:
  ExitWaiter(Cli& cli, client::Client& c, const std::string& id, bool removed) {
    auto stream = client::container_wait(c, id, removed ? "removed" : "next-exit");
    if (!stream.ok()) {
      log_error(cli, "error waiting for container: " + stream.error().message());
      set(125);
      return;
    }
    auto shared = state_;
    std::thread([stream = std::shared_ptr<http::ResponseStream>(std::move(stream).value()), shared,
                 &cli]() {
      auto result = client::read_wait_result(*stream);
      int code = 125;
      std::string error;
      if (!result.ok()) {
        error = "error waiting for container: " + result.error().message();
      } else if (!result->error.empty()) {
        error = "Error waiting for container: " + result->error;
      } else {
        code = static_cast<int>(result->status_code);
      }
      std::lock_guard lock(shared->mu);
      // After a detach nobody waits any more and `cli` may be gone.
      if (!error.empty() && !shared->abandoned) log_error(cli, error);
      shared->code = code;
      shared->cv.notify_all();
      if (shared->on_done) shared->on_done();
    }).detach();
  }
  ~ExitWaiter() {
    std::lock_guard lock(state_->mu);
    state_->abandoned = true;
    state_->on_done = nullptr;
  }
  int wait() {
    std::unique_lock lock(state_->mu);
    state_->cv.wait(lock, [&] { return state_->code.has_value(); });
    return *state_->code;
  }
  void on_done(std::function<void()> fn) {
    std::lock_guard lock(state_->mu);
    if (state_->code) {
      fn();
    } else {
      state_->on_done = std::move(fn);
    }
  }

 private:
  void set(int code) {
    std::lock_guard lock(state_->mu);
    state_->code = code;
  }
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<int> code;
    std::function<void()> on_done;
    bool abandoned = false;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

Result<int> run_container(Invocation& inv, RunState& s) {
  Cli& cli = inv.cli;
  if (Status st = validate_pull_option(s.create.pull); !st.ok()) {
    return usage_error(cli, st.error(), "run");
  }
  auto parsed = parse_for(cli, inv, s);
  if (!parsed.ok()) return usage_error(cli, parsed.error(), "run");
  ContainerConfig config = std::move(parsed).value();

  if (!s.detach) {
    if (config.attach_stdin && s.copts.tty && !cli.in_is_terminal()) {
      return Error(ErrorCode::kInvalidArgument, "the input device is not a TTY");
    }
  } else {
    if (!s.copts.attach.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "conflicting options: cannot specify both --attach and --detach");
    }
    config.config["AttachStdin"] = false;
    config.config["AttachStdout"] = false;
    config.config["AttachStderr"] = false;
    config.config["StdinOnce"] = false;
    config.attach_stdin = config.attach_stdout = config.attach_stderr = false;
  }

  auto id_or = create_container(cli, config, s.create);
  if (!id_or.ok()) return status_error(cli, id_or.error(), "run");
  std::string id = *id_or;
  client::Client& c = *TRY(cli.client());

  // Whatever way this returns, the proxy and resize handlers (which refer to `c`) go with it.
  struct HandlerReset {
    ~HandlerReset() {
      set_signal_proxy(nullptr);
      set_winch_handler(nullptr);
    }
  } reset;
  if (s.sig_proxy) proxy_signals_to_container(c, id);

  bool attach = config.attach_stdin || config.attach_stdout || config.attach_stderr;
  std::shared_ptr<HijackStreamer> streamer;
  if (attach) {
    client::AttachOptions ao;
    ao.attach_stdin = config.attach_stdin;
    ao.attach_stdout = config.attach_stdout;
    ao.attach_stderr = config.attach_stderr;
    ao.detach_keys = s.detach_keys.empty() ? cli.config().detach_keys() : s.detach_keys;
    auto conn = client::container_attach(c, id, ao);
    if (!conn.ok()) return std::move(conn).error();
    StreamOptions so;
    so.in_fd = config.attach_stdin ? cli.in_fd() : -1;
    set_output_sinks(cli, so, config.attach_stdout, config.attach_stderr, s.copts.tty);
    so.tty = s.copts.tty;
    so.detach_keys = ao.detach_keys;
    streamer = std::make_shared<HijackStreamer>(
        std::shared_ptr<http::HijackedConnection>(std::move(conn).value()), so);
    streamer->start();
  }

  // Detached: docker prints the id as soon as the container exists, before starting it.
  if (!attach) cli.out(id + "\n");
  ExitWaiter waiter(cli, c, id, s.copts.auto_remove);

  Status started = client::container_start(c, id);
  if (!started.ok()) {
    if (streamer) {
      streamer->cancel();
      streamer->wait();
    }
    if (s.copts.auto_remove) waiter.wait();
    return status_error(cli, started.error(), "run");
  }

  if (!attach) return 0;

  if (s.copts.tty && cli.out_is_terminal()) {
    auto resize = [&c, &cli, id] {
      TermSize size = terminal_size(cli.out_fd());
      if (size.height != 0 || size.width != 0) {
        (void)client::container_resize(c, id, static_cast<int>(size.height),
                                       static_cast<int>(size.width));
      }
    };
    resize();
    set_winch_handler(resize);
  }

  // Only stdin attached: the container's exit must end the streams.
  if (!config.attach_stdout && !config.attach_stderr) {
    waiter.on_done([streamer] { streamer->cancel(); });
  }
  StreamEnd end = streamer->wait();
  if (end == StreamEnd::kDetached) return 0;
  return waiter.wait();
}

Result<int> create_only(Invocation& inv, RunState& s) {
  Cli& cli = inv.cli;
  if (Status st = validate_pull_option(s.create.pull); !st.ok()) {
    return usage_error(cli, st.error(), "create");
  }
  auto parsed = parse_for(cli, inv, s);
  if (!parsed.ok()) return usage_error(cli, parsed.error(), "create");
  std::string id = TRY(create_container(cli, *parsed, s.create));
  cli.out(id + "\n");
  return 0;
}

}  // namespace

std::unique_ptr<Command> new_run_command(Cli& cli, bool top_level) {
  auto cmd = new_command("run [OPTIONS] IMAGE [COMMAND] [ARG...]",
                         "Create and run a new container from an image",
                         "berth container run, berth run");
  if (top_level) cmd->top_order = 1;
  cmd->set_args(ArgRule::kMin, 1);
  auto state = std::make_shared<RunState>();
  FlagSet& f = cmd->flags();
  f.set_interspersed(false);
  f.add_bool("detach", "d", &state->detach, false,
             "Run container in background and print container ID");
  f.add_bool("sig-proxy", "", &state->sig_proxy, true, "Proxy received signals to the process");
  f.add_string("detach-keys", "", &state->detach_keys, "",
               "Override the key sequence for detaching a container");
  add_create_flags(f, state->create,
                   "Pull image before running (\"always\", \"missing\", \"never\")");
  f.add_bool("help", "", &state->help, false, "Print usage");
  add_container_flags(f, state->copts, cli.env);
  cmd->set_run([state](Invocation& inv) { return run_container(inv, *state); });
  return cmd;
}

std::unique_ptr<Command> new_create_command(Cli& cli) {
  auto cmd = new_command("create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container",
                         "berth container create, berth create");
  cmd->set_args(ArgRule::kMin, 1);
  auto state = std::make_shared<RunState>();
  FlagSet& f = cmd->flags();
  f.set_interspersed(false);
  add_create_flags(f, state->create,
                   "Pull image before creating (\"always\", \"|missing\", \"never\")");
  f.add_bool("help", "", &state->help, false, "Print usage");
  add_container_flags(f, state->copts, cli.env);
  cmd->set_run([state](Invocation& inv) { return create_only(inv, *state); });
  return cmd;
}

}  // namespace berth::cli
