// logs and attach.
#include "cli/commands/common.h"
#include "cli/commands/registry.h"
#include "cli/run/attach_flow.h"
#include "cli/run/signals.h"
#include "client/containers.h"
#include "http/stdcopy.h"

namespace berth::cli {
namespace {

struct LogsOptions {
  bool follow = false;
  std::string since;
  std::string until;
  bool timestamps = false;
  bool details = false;
  std::string tail;
};

// docker's inspectContainerAndCheckState.
Result<Json> inspect_running(client::Client& c, const std::string& id) {
  Json info = TRY(client::container_inspect(c, id));
  const Json& state = info["State"];
  if (!state.value("Running", false)) {
    return Error(ErrorCode::kFailedPrecondition,
                 "You cannot attach to a stopped container, start it first");
  }
  if (state.value("Paused", false)) {
    return Error(ErrorCode::kFailedPrecondition,
                 "You cannot attach to a paused container, unpause it first");
  }
  if (state.value("Restarting", false)) {
    return Error(ErrorCode::kFailedPrecondition,
                 "You cannot attach to a restarting container, wait until it is running");
  }
  return info;
}

}  // namespace

std::unique_ptr<Command> new_logs_command() {
  auto cmd = new_command("logs [OPTIONS] CONTAINER", "Fetch the logs of a container",
                         "berth container logs, berth logs");
  cmd->set_args(ArgRule::kExact, 1);
  auto o = std::make_shared<LogsOptions>();
  FlagSet& f = cmd->flags();
  f.add_bool("follow", "f", &o->follow, false, "Follow log output");
  f.add_string("since", "", &o->since, "",
               "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. "
               "\"42m\" for 42 minutes)");
  f.add_string("until", "", &o->until, "",
               "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. "
               "\"42m\" for 42 minutes)");
  f.add_bool("timestamps", "t", &o->timestamps, false, "Show timestamps");
  f.add_bool("details", "", &o->details, false, "Show extra details provided to logs");
  f.add_string("tail", "n", &o->tail, "all", "Number of lines to show from the end of the logs");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json info = TRY(client::container_inspect(c, inv.args[0]));
    client::LogsOptions lo;
    lo.follow = o->follow;
    lo.since = o->since;
    lo.until = o->until;
    lo.timestamps = o->timestamps;
    lo.details = o->details;
    lo.tail = o->tail;
    auto body = TRY(client::container_logs(c, info.value("Id", inv.args[0]), lo));
    bool tty = info["Config"].value("Tty", false);
    http::StdcopyDecoder decoder;
    char buf[65536];
    while (true) {
      size_t n = TRY(body->read(buf, sizeof(buf)));
      if (n == 0) break;
      std::string_view data(buf, n);
      if (tty) {
        cli.out(data);
        continue;
      }
      TRY(decoder.feed(data, [&](http::StdStream s, std::string_view d) -> Status {
        if (s == http::StdStream::kStderr) {
          cli.err(d);
        } else if (s == http::StdStream::kSystemErr) {
          return Error(ErrorCode::kUnknown, std::string(d));
        } else {
          cli.out(d);
        }
        return ok_status();
      }));
    }
    return 0;
  });
  return cmd;
}

std::unique_ptr<Command> new_attach_command() {
  auto cmd = new_command(
      "attach [OPTIONS] CONTAINER",
      "Attach local standard input, output, and error streams to a running container",
      "berth container attach, berth attach");
  cmd->set_args(ArgRule::kExact, 1);
  struct Options {
    bool no_stdin = false;
    bool proxy = true;
    std::string detach_keys;
  };
  auto o = std::make_shared<Options>();
  FlagSet& f = cmd->flags();
  f.add_bool("no-stdin", "", &o->no_stdin, false, "Do not attach STDIN");
  f.add_bool("sig-proxy", "", &o->proxy, true, "Proxy all received signals to the process");
  f.add_string("detach-keys", "", &o->detach_keys, "",
               "Override the key sequence for detaching a container");
  cmd->set_run([o](Invocation& inv) -> Result<int> {
    Cli& cli = inv.cli;
    client::Client& c = *TRY(cli.client());
    Json info = TRY(inspect_running(c, inv.args[0]));
    bool tty = info["Config"].value("Tty", false);
    if (!o->no_stdin && tty && !cli.in_is_terminal()) {
      return Error(ErrorCode::kInvalidArgument, "the input device is not a TTY");
    }
    AttachFlow flow;
    flow.id = inv.args[0];
    flow.tty = tty;
    flow.attach_stdin = !o->no_stdin && info["Config"].value("OpenStdin", false);
    flow.sig_proxy = o->proxy && !tty;
    flow.detach_keys = o->detach_keys.empty() ? cli.config().detach_keys() : o->detach_keys;
    flow.wait_condition = "";
    flow.resize_plus_one = true;
    return run_attach_flow(cli, c, flow);
  });
  return cmd;
}

}  // namespace berth::cli
